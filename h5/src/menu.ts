/** The Official Account's three menu groups and their pages (DESIGN.md §1, "The custom menu"). */
export interface MenuItem {
  /** Stable id: the route is /<group>/<id>, e.g. /#/home/profile (menus/menu.json links there). */
  id: string;
  title: string;
  /** One line under the title: who may use it, or what it does. */
  label?: string;
  /** Built already; the others open the "即将上线" page until they are built. */
  ready?: boolean;
}

export interface MenuGroup {
  id: 'service' | 'knowledge' | 'home';
  title: string;
  icon: string;
  items: MenuItem[];
}

export const MENU: MenuGroup[] = [
  {
    id: 'service',
    title: '我的服务',
    icon: 'service-o',
    items: [
      { id: 'chat', title: '微客服', label: '智能机器人与人工客服' },
      { id: 'ask', title: '我要提问', label: '提交问题单' },
      { id: 'tickets', title: '提问反馈', label: '我的问题单与技术人员回复' },
      { id: 'booking', title: '服务预约', label: '仅限VIP单位管理员' },
      { id: 'booking-track', title: '预约跟踪', label: '已提交 → 处理中 → 已完成' },
      { id: 'internal-ask', title: '内部咨询', label: '仅限内部员工' },
      { id: 'internal-tickets', title: '咨询反馈', label: '仅限内部员工' },
    ],
  },
  {
    id: 'knowledge',
    title: '知识中心',
    icon: 'bookmark-o',
    items: [
      { id: 'kb', title: '微知识', label: '常见问题与知识检索' },
      { id: 'docs', title: '微分享', label: '重要文档（VIP可下载）' },
      { id: 'products', title: '服务产品', label: '产品架构' },
    ],
  },
  {
    id: 'home',
    title: '服务家园',
    icon: 'home-o',
    items: [
      { id: 'events', title: '活动专区' },
      { id: 'outlets', title: '服务网点', label: '全国服务网点' },
      { id: 'contact', title: '联系我们' },
      { id: 'feedback', title: '吐槽建议', label: '意见与投诉，专人答复' },
      { id: 'survey', title: '调查问卷', label: '为各项服务评分' },
      { id: 'service-code', title: '服务编码', label: '按单位全称查询', ready: true },
      { id: 'profile', title: '个人中心', label: '资料、积分、密码与申请', ready: true },
    ],
  },
];

export function findGroup(id: unknown): MenuGroup | undefined {
  return MENU.find((group) => group.id === id);
}

export function findItem(groupId: unknown, itemId: unknown): MenuItem | undefined {
  return findGroup(groupId)?.items.find((item) => item.id === itemId);
}

/**
 * The WeChat menu and old links write the hash without the slash (/h5/#home/profile);
 * the router's hash history wants #/home/profile. Returns the hash to use, or null if it is fine.
 */
export function normalizeHash(hash: string): string | null {
  if (hash === '' || hash === '#' || hash.startsWith('#/')) return null;
  return `#/${hash.slice(1)}`;
}
