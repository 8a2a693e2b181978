/** The H5 session (GET /api/h5/session): who is logged in, and whether the page came through WeChat. */
import { reactive } from 'vue';
import type { SessionInfo, UserBrief } from '../../../common/h5-api';
import { getSession } from '../api/auth';
import { messageOf } from '../api/http';

export const session = reactive<{ loaded: boolean; wechat: boolean; user: UserBrief | null; error: string | null }>({
  loaded: false,
  wechat: false,
  user: null,
  error: null,
});

let pending: Promise<void> | null = null;

/** Loads the session once (or again after a failure); pages that need a user wait for it. */
export function ensureSession(): Promise<void> {
  if (session.loaded) return Promise.resolve();
  pending ??= getSession()
    .then((info) => setSession(info))
    .catch((error: unknown) => {
      session.error = messageOf(error);
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

export function setSession(info: SessionInfo): void {
  session.loaded = true;
  session.error = null;
  session.wechat = info.wechat;
  session.user = info.user;
}

/** After logout, or when the server says the session ended. */
export function clearUser(): void {
  session.user = null;
}
