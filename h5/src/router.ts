/** Routes (hash history, every page lazy), page titles, and the login guard. */
import { createRouter, createWebHashHistory, type RouteLocationNormalized } from 'vue-router';
import { setUnauthorizedHandler } from './api/http';
import { clearUser, ensureSession, session } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** A group page: the tab bar shows. */
    tab?: boolean;
    /** Needs a logged-in user: otherwise the login / bind page opens, and comes back here after. */
    auth?: boolean;
  }
}

const GroupPage = () => import('./pages/group/index.vue');

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/service' },
    { path: '/service', component: GroupPage, props: { groupId: 'service' }, meta: { title: '我的服务', tab: true } },
    { path: '/knowledge', component: GroupPage, props: { groupId: 'knowledge' }, meta: { title: '知识中心', tab: true } },
    { path: '/home', component: GroupPage, props: { groupId: 'home' }, meta: { title: '服务家园', tab: true } },
    { path: '/login', component: () => import('./pages/login/index.vue'), meta: { title: '登录' } },
    { path: '/register', component: () => import('./pages/register/index.vue'), meta: { title: '快速注册' } },
    { path: '/forgot', component: () => import('./pages/forgot/index.vue'), meta: { title: '忘记密码' } },
    { path: '/home/profile', component: () => import('./pages/profile/index.vue'), meta: { title: '个人中心', auth: true } },
    { path: '/home/profile/edit', component: () => import('./pages/profile-edit/index.vue'), meta: { title: '编辑资料', auth: true } },
    { path: '/home/profile/points', component: () => import('./pages/points/index.vue'), meta: { title: '我的积分', auth: true } },
    { path: '/home/profile/password', component: () => import('./pages/password/index.vue'), meta: { title: '修改密码', auth: true } },
    { path: '/home/profile/applications', component: () => import('./pages/applications/index.vue'), meta: { title: '身份申请', auth: true } },
    { path: '/home/service-code', component: () => import('./pages/service-code/index.vue'), meta: { title: '服务编码' } },
    // Items not built yet: a "即将上线" page with the item's title, never a broken link.
    { path: '/:group(service|knowledge|home)/:item', component: () => import('./pages/soon/index.vue'), props: true },
    { path: '/:missing(.*)*', component: () => import('./pages/soon/index.vue'), props: { group: '', item: '' } },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

router.beforeEach(async (to) => {
  if (!to.meta.auth) return true;
  await ensureSession();
  // A failed session call lets the page load: its own request shows the error with a retry.
  if (session.loaded && !session.user) return loginFor(to);
  return true;
});

router.afterEach((to) => {
  if (to.meta.title) document.title = to.meta.title;
});

setUnauthorizedHandler(() => {
  clearUser();
  const current = router.currentRoute.value;
  if (current.meta.auth) void router.replace(loginFor(current));
});

function loginFor(to: RouteLocationNormalized): { path: string; query: { redirect: string } } {
  return { path: '/login', query: { redirect: to.fullPath } };
}

/** Where to go after login: only a route inside the app. */
export function redirectTarget(query: unknown): string {
  return typeof query === 'string' && query.startsWith('/') && !query.startsWith('//') ? query : '/home/profile';
}
