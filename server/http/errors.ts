/**
 * One error family for the whole server. Services throw these; one middleware
 * (server/http/error-middleware.ts) renders them. Only `expose`d messages reach clients.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly expose = status < 500,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequest extends AppError {
  constructor(message: string, code = 'bad_request') {
    super(400, code, message);
  }
}

export class Unauthorized extends AppError {
  constructor(message = 'unauthorized', code = 'unauthorized') {
    super(401, code, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'forbidden', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFound extends AppError {
  constructor(what: string, id?: string | number) {
    super(404, 'not_found', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

export class PayloadTooLarge extends AppError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `body exceeds ${limitBytes} bytes`);
  }
}
