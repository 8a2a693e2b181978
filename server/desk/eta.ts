/**
 * The customer's expected wait, and when a new queue position is worth a message. Pure.
 * The position is 1-based in serving order; "您前面还有 N 位" is position − 1.
 */
export interface Capacity {
  /** Open chats the online agents could still take now. */
  freeSlots: number;
  /** The online agents' caps added up: how many chats are served side by side. */
  totalSlots: number;
}

/** The average handling time when there is no history yet. */
export const DEFAULT_HANDLE_S = 300;

/**
 * Seconds until this position is served, or null when no agent is online (no honest estimate).
 * Each "wave" of totalSlots chats takes about one average handling time.
 */
export function estimateWaitS(position: number, capacity: Capacity, avgHandleS: number | null): number | null {
  if (capacity.totalSlots <= 0) return null;
  const handle = avgHandleS && avgHandleS > 0 ? avgHandleS : DEFAULT_HANDLE_S;
  const beyondFree = position - capacity.freeSlots;
  if (beyondFree <= 0) return 0;
  return Math.ceil(beyondFree / capacity.totalSlots) * handle;
}

/** "约 3 分钟" / "不到 1 分钟"; null stays null. */
export function formatWait(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return '不到 1 分钟';
  if (seconds < 3600) return `约 ${Math.round(seconds / 60)} 分钟`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return `约 ${h} 小时${m ? ` ${m} 分钟` : ''}`;
}

export interface PositionUpdate {
  /** The position last told to the customer. */
  told: number | null;
  current: number;
  /** Customer-service messages sent to this customer since their last message. */
  sentSinceCustomerWrote: number;
  /** Is WeChat's 48 h window still open? */
  windowOpen: boolean;
}

/**
 * The 5 sends after the customer's last message are for the agent (the "connected" notice and the
 * answers): a position update may use only the first two, and only when the position halved or
 * the customer is next. So a wait costs a couple of messages at most, and never the agent's.
 */
export const MAX_POSITION_SENDS = 2;

export function shouldSendPosition(u: PositionUpdate): boolean {
  if (!u.windowOpen || u.sentSinceCustomerWrote >= MAX_POSITION_SENDS) return false;
  if (u.told === null || u.current >= u.told) return false;
  return u.current === 1 || u.current <= Math.floor(u.told / 2);
}
