import { createRouter, createWebHistory } from 'vue-router';
import type { StaffRole } from '../../common/staff-api';
import { setUnauthorizedHandler } from './api/http';
import { ensureSession, forget, session } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Roles that may open the page; any logged-in staff when absent. */
    roles?: StaffRole[];
    title?: string;
    public?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory('/console/'),
  routes: [
    { path: '/login', name: 'login', component: () => import('./views/login/LoginView.vue'), meta: { public: true, title: '登录' } },
    {
      path: '/',
      component: () => import('./views/layout/ConsoleLayout.vue'),
      children: [
        { path: '', redirect: '/kb/entries' },
        { path: 'kb/entries', name: 'entries', component: () => import('./views/kb/EntriesView.vue'), meta: { title: '知识库' } },
        { path: 'kb/unanswered', name: 'unanswered', component: () => import('./views/kb/UnansweredView.vue'), meta: { title: '未解答问题', roles: ['admin'] } },
        { path: 'kb/candidates', name: 'candidates', component: () => import('./views/kb/CandidatesView.vue'), meta: { title: 'FAQ候选', roles: ['admin'] } },
        { path: 'kb/stats', name: 'stats', component: () => import('./views/kb/StatsView.vue'), meta: { title: '统计', roles: ['admin'] } },
      ],
    },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  let me;
  try {
    me = await ensureSession();
  } catch {
    me = null; // server unreachable: the login page says so when the user tries
  }
  if (!me) return { name: 'login', query: { redirect: to.fullPath } };
  if (to.meta.roles && !to.meta.roles.includes(me.role)) return { name: 'entries' };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 智能客服管理控制台` : '智能客服管理控制台';
});

// Any 401 means the session ended (expired, logged out elsewhere): back to the login page.
setUnauthorizedHandler(() => {
  const wasLoggedIn = session.me !== null;
  forget();
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace({ name: 'login', query: { redirect: current.fullPath, expired: wasLoggedIn ? '1' : undefined } });
});
