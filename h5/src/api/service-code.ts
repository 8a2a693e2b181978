/** 服务编码: look up a unit's service code by its exact full name (common/h5-api.ts). */
import type { ServiceCodeResult } from '../../../common/h5-api';
import { request } from './http';

export const lookupServiceCode = (fullName: string): Promise<ServiceCodeResult> =>
  request('POST', '/api/h5/service-code', { body: { fullName } });
