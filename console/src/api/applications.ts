import type { AdminApplication, ApplicationStatus } from '../../../common/h5-api';
import type { Page } from '../../../common/kb-api';
import { request } from './http';

/** Staff decisions on VIP + administrator and internal-staff applications (common/h5-api.ts). */
export const listApplications = (query: { status?: ApplicationStatus | ''; page: number; pageSize: number }) =>
  request<Page<AdminApplication>>('GET', '/api/admin/applications', { query: { ...query } });
export const approveApplication = (id: number) => request<AdminApplication>('POST', `/api/admin/applications/${id}/approve`);
export const rejectApplication = (id: number, reason: string) => request<AdminApplication>('POST', `/api/admin/applications/${id}/reject`, { body: { reason } });
