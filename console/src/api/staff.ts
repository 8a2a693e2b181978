import type { StaffMe } from '../../../common/staff-api';
import { request } from './http';

export const login = (username: string, password: string) =>
  request<StaffMe>('POST', '/api/staff/session', { body: { username, password }, allowUnauthorized: true });
export const logout = () => request<void>('DELETE', '/api/staff/session', { allowUnauthorized: true });
export const fetchMe = () => request<StaffMe>('GET', '/api/staff/me', { allowUnauthorized: true });
