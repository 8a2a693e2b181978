import { createRouter, createWebHistory } from 'vue-router';
import type { StaffRole } from '../../common/staff-api';
import { setUnauthorizedHandler } from './api/http';
import { pageTitle } from './composables/page-title';
import { ensureSession, forget, session } from './stores/session';

/** Who uses the agent desk (technicians get 403 from the desk API). */
export const DESK_ROLES: StaffRole[] = ['agent', 'admin'];

/** Agents land on the desk; everyone else on the knowledge base. */
const home = () => (session.me?.role === 'agent' ? { name: 'desk' } : { name: 'entries' });

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
        // The session is known only after the global guard: a route guard, not a static redirect.
        { path: '', name: 'home', component: { render: () => null }, beforeEnter: home },
        { path: 'desk', name: 'desk', component: () => import('./views/desk/DeskView.vue'), meta: { title: '客服工作台', roles: DESK_ROLES } },
        { path: 'desk/history', name: 'desk-history', component: () => import('./views/desk/HistoryView.vue'), meta: { title: '历史会话', roles: DESK_ROLES } },
        { path: 'desk/left-messages', name: 'desk-left', component: () => import('./views/desk/LeftMessagesView.vue'), meta: { title: '留言', roles: DESK_ROLES } },
        { path: 'desk/canned', name: 'desk-canned', component: () => import('./views/desk/CannedView.vue'), meta: { title: '快捷回复', roles: ['admin'] } },
        { path: 'kb/entries', name: 'entries', component: () => import('./views/kb/EntriesView.vue'), meta: { title: '知识库' } },
        { path: 'kb/unanswered', name: 'unanswered', component: () => import('./views/kb/UnansweredView.vue'), meta: { title: '未解答问题', roles: ['admin'] } },
        { path: 'kb/candidates', name: 'candidates', component: () => import('./views/kb/CandidatesView.vue'), meta: { title: 'FAQ候选', roles: ['admin'] } },
        { path: 'kb/stats', name: 'stats', component: () => import('./views/kb/StatsView.vue'), meta: { title: '统计', roles: ['admin'] } },
        { path: 'admin/applications', name: 'applications', component: () => import('./views/admin/ApplicationsView.vue'), meta: { title: '申请审核', roles: ['admin'] } },
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
  if (to.meta.roles && !to.meta.roles.includes(me.role)) return home();
  return true;
});

router.afterEach((to) => {
  pageTitle.value = to.meta.title ?? '';
});

// Any 401 means the session ended (expired, logged out elsewhere): back to the login page.
setUnauthorizedHandler(() => {
  const wasLoggedIn = session.me !== null;
  forget();
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace({ name: 'login', query: { redirect: current.fullPath, expired: wasLoggedIn ? '1' : undefined } });
});
