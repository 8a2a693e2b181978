import { reactive } from 'vue';
import type { StaffMe, StaffRole } from '../../../common/staff-api';
import { ApiError } from '../api/http';
import { fetchMe, login as apiLogin, logout as apiLogout } from '../api/staff';

/** Who is logged in. `checked` turns true once the server has been asked (GET /api/staff/me). */
export const session = reactive<{ me: StaffMe | null; checked: boolean }>({ me: null, checked: false });

export const ROLE_LABELS: Record<StaffRole, string> = { admin: '管理员', agent: '客服', technician: '技术支持' };

export async function ensureSession(): Promise<StaffMe | null> {
  if (session.checked) return session.me;
  try {
    session.me = await fetchMe();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
    session.me = null;
  }
  session.checked = true;
  return session.me;
}

export async function login(username: string, password: string): Promise<StaffMe> {
  session.me = await apiLogin(username, password);
  session.checked = true;
  return session.me;
}

export async function logout(): Promise<void> {
  try {
    await apiLogout();
  } finally {
    forget();
  }
}

/** The session ended (401 anywhere). */
export function forget(): void {
  session.me = null;
  session.checked = true;
}

export const isAdmin = (): boolean => session.me?.role === 'admin';
