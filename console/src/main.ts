import { createApp } from 'vue';
import App from './App.vue';
import { installElement } from './element';
import { router } from './router';
import './styles.css';

const app = createApp(App);
installElement(app);
app.use(router);
app.mount('#app');
