/** The logged-in user's profile, password, points and applications (common/h5-api.ts). */
import type {
  Application,
  ApplicationKind,
  PasswordChange,
  PasswordChanged,
  PointsPage,
  Profile,
  ProfileInput,
  RankingRow,
  WechatBinding,
} from '../../../common/h5-api';
import { request } from './http';

export const getProfile = (): Promise<Profile> => request('GET', '/api/h5/me');
export const updateProfile = (input: ProfileInput): Promise<Profile> => request('PUT', '/api/h5/me', { body: input });
export const changePassword = (input: PasswordChange): Promise<PasswordChanged> => request('POST', '/api/h5/me/password', { body: input });
export const listWechatBindings = (): Promise<{ items: WechatBinding[] }> => request('GET', '/api/h5/me/wechat');
export const unbindWechat = (id: number): Promise<{ ok: true }> => request('DELETE', `/api/h5/me/wechat/${id}`);
export const getPoints = (page: number): Promise<PointsPage> => request('GET', '/api/h5/me/points', { query: { page } });
export const getRanking = (): Promise<{ items: RankingRow[]; me: RankingRow | null }> => request('GET', '/api/h5/points/ranking');
export const listApplications = (): Promise<{ items: Application[] }> => request('GET', '/api/h5/me/applications');
export const applyFor = (kind: ApplicationKind): Promise<Application> => request('POST', '/api/h5/me/applications', { body: { kind } });
