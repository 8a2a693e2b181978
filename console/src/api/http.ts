/** One fetch wrapper for every API module: JSON in and out, errors as ApiError, 401 → the login page. */
import { ApiError, notifyUnauthorized, sendJson, setUnauthorizedHandler, type Query } from '../../../common/http-client';
export { ApiError, setUnauthorizedHandler };

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Login answers 401 for a bad password: that is not "the session ended". */
  allowUnauthorized?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await sendJson(method, path, opts, '网络错误，请检查网络后重试');
  if (!res.ok) throw await failure(res, opts.allowUnauthorized);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A file download (export) through fetch, so that errors and 401 are handled like any call. */
export async function download(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', '网络错误，请检查网络后重试');
  }
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const name = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A multipart upload with progress (fetch has no upload progress; XMLHttpRequest has). */
export function upload<T>(path: string, form: FormData, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', '网络错误，上传失败，请重试'));
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      if (xhr.status === 401) notifyUnauthorized();
      reject(errorOf(xhr.status, body));
    };
    xhr.send(form);
  });
}

async function failure(res: Response, allowUnauthorized = false): Promise<ApiError> {
  if (res.status === 401 && !allowUnauthorized) notifyUnauthorized();
  return errorOf(res.status, parseJson(await res.text().catch(() => '')));
}

function errorOf(status: number, body: unknown): ApiError {
  const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  if (e?.message) return new ApiError(status, e.code ?? 'error', e.message);
  if (status === 403) return new ApiError(status, 'forbidden', '没有权限执行此操作');
  if (status === 404) return new ApiError(status, 'not_found', '内容不存在或已被删除');
  if (status === 413) return new ApiError(status, 'payload_too_large', '文件太大');
  return new ApiError(status, 'error', `请求失败（${status}），请稍后重试`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
