/** One fetch wrapper for every H5 API module: same-origin JSON, errors as ApiError with the server's Chinese message. */
import { ApiError, notifyUnauthorized, sendJson, setUnauthorizedHandler } from '../../../common/http-client';
export { ApiError, setUnauthorizedHandler };
import type { ApiErrorBody } from '../../../common/staff-api';

export const NETWORK_MESSAGE = '网络异常，请稍后重试';

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await sendJson(method, path, opts, NETWORK_MESSAGE);
  if (!res.ok) {
    const error = errorOf(res.status, parseJson(await res.text().catch(() => '')));
    if (error.code === 'not_logged_in') notifyUnauthorized();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const body = parseJson(await res.text().catch(() => ''));
  if (body === undefined) throw new ApiError(res.status, 'bad_response', NETWORK_MESSAGE);
  return body as T;
}

/** The message to show for any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : NETWORK_MESSAGE;
}

function errorOf(status: number, body: unknown): ApiError {
  const e = (body as Partial<ApiErrorBody> | undefined)?.error;
  if (e?.message) return new ApiError(status, e.code ?? 'error', e.message);
  if (status === 401) return new ApiError(status, 'not_logged_in', '请先登录');
  if (status === 403) return new ApiError(status, 'forbidden', '没有权限执行此操作');
  if (status === 404) return new ApiError(status, 'not_found', '内容不存在或功能暂未开放');
  if (status === 429) return new ApiError(status, 'rate_limited', '操作太频繁，请稍后再试');
  return new ApiError(status, 'error', NETWORK_MESSAGE);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
