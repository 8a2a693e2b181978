import type { AgentStatus, ConversationStatus } from '../../../common/desk-api';

export const CONVERSATION_STATUS_LABELS: Record<ConversationStatus, string> = {
  bot: '机器人接待',
  queued: '排队中',
  assigned: '服务中',
  message: '待留言',
  closed: '已结束',
};

export const CONVERSATION_STATUS_TAGS: Record<ConversationStatus, 'info' | 'warning' | 'success' | 'primary' | 'danger'> = {
  bot: 'info',
  queued: 'warning',
  assigned: 'success',
  message: 'primary',
  closed: 'info',
};

export const AGENT_STATUS_LABELS: Record<AgentStatus, string> = { online: '在线', away: '离开', offline: '离线' };

export const SENDER_LABELS = { customer: '客户', bot: '机器人', agent: '客服', system: '系统' } as const;

/** "★★★★☆ 4" for a rating; "未评价" for none. */
export function ratingText(score: number | null | undefined): string {
  if (score === null || score === undefined) return '未评价';
  const s = Math.max(0, Math.min(5, Math.round(score)));
  return `${'★'.repeat(s)}${'☆'.repeat(5 - s)} ${Number.isInteger(score) ? score : score.toFixed(1)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** "14:05" today, "05-01 14:05" before. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === new Date().toDateString() ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}
