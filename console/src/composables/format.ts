const pad = (n: number) => String(n).padStart(2, '0');

/** 2024-05-01 09:30 in the browser's time zone; '-' for nothing. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatPercent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

export const STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  published: '已发布',
  open: '待处理',
  attached: '已加入条目',
  created: '已新建条目',
  dismissed: '已忽略',
  accepted: '已采纳',
};
