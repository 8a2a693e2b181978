import { ref, watchEffect } from 'vue';
import { titleWithBadge } from '../../../common/desk-format';

const APP = '智能客服管理控制台';

/** The page's own title (set by the router) and the unread badge (set by the desk). */
export const pageTitle = ref('');
export const titleBadge = ref(0);

watchEffect(() => {
  const base = pageTitle.value ? `${pageTitle.value} · ${APP}` : APP;
  document.title = titleWithBadge(base, titleBadge.value);
});
