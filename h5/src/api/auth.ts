/** Session, login, registration, verification codes and password recovery (common/h5-api.ts). */
import type { CodeRequest, LoginInput, PasswordChanged, RegisterInput, ResetInput, SessionInfo } from '../../../common/h5-api';
import { request } from './http';

export const getSession = (): Promise<SessionInfo> => request('GET', '/api/h5/session');
export const login = (input: LoginInput): Promise<SessionInfo> => request('POST', '/api/h5/login', { body: input });
export const sendCode = (input: CodeRequest): Promise<{ sent: true; expiresInS: number; simulated: boolean }> =>
  request('POST', '/api/h5/codes', { body: input });
export const register = (input: RegisterInput): Promise<SessionInfo> => request('POST', '/api/h5/register', { body: input });
export const resetPassword = (input: ResetInput): Promise<PasswordChanged> => request('POST', '/api/h5/password/reset', { body: input });
export const logout = (): Promise<{ ok: true; unboundWechat: boolean }> => request('POST', '/api/h5/logout');
