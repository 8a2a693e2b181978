import { createApp } from 'vue';
import App from './App.vue';
import { normalizeHash } from './menu';
import { router } from './router';
import { ensureSession } from './stores/session';

// The WeChat menu links to /h5/#home/profile; the router reads #/home/profile.
const fixed = normalizeHash(location.hash);
if (fixed) history.replaceState(history.state, '', `${location.pathname}${location.search}${fixed}`);

void ensureSession();
createApp(App).use(router).mount('#app');
