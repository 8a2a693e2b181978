/**
 * The customer-service send rules of the WeChat platform, as pure arithmetic over
 * one user's state. Sources: DESIGN.md §3 "Customer-service send and typing".
 *
 * - A user's message opens a 48 h window in which the account may send 5 messages;
 *   the counter starts again whenever the user writes again.
 * - A menu click, a follow (subscribe) or a scan opens a 1 min window for 3 messages.
 * - Typing works only within 30 s of the user's last message.
 *
 * When both windows are open, a send uses the 48 h allowance first and the 1 min
 * allowance only when the former is spent: each allowance is a separate right.
 */

export const MESSAGE_WINDOW_MS = 48 * 60 * 60 * 1000;
export const MESSAGE_WINDOW_QUOTA = 5;
export const INTERACTION_WINDOW_MS = 60 * 1000;
export const INTERACTION_WINDOW_QUOTA = 3;
export const TYPING_WINDOW_MS = 30 * 1000;

export const ERR_OUT_OF_WINDOW = 45015;
export const ERR_OVER_QUOTA = 45047;
export const ERR_TYPING_WINDOW = 45080;

export interface QuotaState {
  /** ms timestamp of the user's last message, if any */
  readonly lastMessageAt?: number;
  /** messages sent by the account since that message */
  readonly sentSinceMessage: number;
  /** ms timestamp of the last menu click, follow or scan, if any */
  readonly lastInteractionAt?: number;
  /** messages sent by the account since that interaction, from its own allowance */
  readonly sentSinceInteraction: number;
}

export const EMPTY_QUOTA: QuotaState = { sentSinceMessage: 0, sentSinceInteraction: 0 };

export type SendDecision =
  | { readonly ok: true; readonly state: QuotaState; readonly allowance: 'message' | 'interaction' }
  | { readonly ok: false; readonly errcode: typeof ERR_OUT_OF_WINDOW | typeof ERR_OVER_QUOTA };

/** The user wrote: a fresh 48 h window with a fresh counter. */
export function afterUserMessage(state: QuotaState, at: number): QuotaState {
  return { ...state, lastMessageAt: at, sentSinceMessage: 0 };
}

/** The user clicked the menu, followed or scanned: a fresh 1 min allowance. */
export function afterInteraction(state: QuotaState, at: number): QuotaState {
  return { ...state, lastInteractionAt: at, sentSinceInteraction: 0 };
}

export function inMessageWindow(state: QuotaState, at: number): boolean {
  return state.lastMessageAt !== undefined && at >= state.lastMessageAt && at - state.lastMessageAt < MESSAGE_WINDOW_MS;
}

export function inInteractionWindow(state: QuotaState, at: number): boolean {
  return (
    state.lastInteractionAt !== undefined &&
    at >= state.lastInteractionAt &&
    at - state.lastInteractionAt < INTERACTION_WINDOW_MS
  );
}

/** May the account send one customer-service message at `at`? Returns the state after it. */
export function decideSend(state: QuotaState, at: number): SendDecision {
  const messageOpen = inMessageWindow(state, at);
  const interactionOpen = inInteractionWindow(state, at);
  if (!messageOpen && !interactionOpen) return { ok: false, errcode: ERR_OUT_OF_WINDOW };
  if (messageOpen && state.sentSinceMessage < MESSAGE_WINDOW_QUOTA) {
    return { ok: true, allowance: 'message', state: { ...state, sentSinceMessage: state.sentSinceMessage + 1 } };
  }
  if (interactionOpen && state.sentSinceInteraction < INTERACTION_WINDOW_QUOTA) {
    return {
      ok: true,
      allowance: 'interaction',
      state: { ...state, sentSinceInteraction: state.sentSinceInteraction + 1 },
    };
  }
  return { ok: false, errcode: ERR_OVER_QUOTA };
}

/** Typing needs a user message within the last 30 s. */
export function canType(state: QuotaState, at: number): boolean {
  return state.lastMessageAt !== undefined && at >= state.lastMessageAt && at - state.lastMessageAt <= TYPING_WINDOW_MS;
}
