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

/** 409: the request clashes with the current state (already_taken, not_open, taken, username_taken, …). */
export class Conflict extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

/** 409 username_taken: a staff account of that name exists (scripts/staff-add.ts reports it). */
export class UsernameTaken extends Conflict {
  constructor(readonly username: string) {
    super('username_taken', `用户名 ${username} 已存在`);
  }
}

/** 422 agent_unavailable: the transfer target is offline, away or full. */
export class AgentUnavailable extends AppError {
  constructor(message = '该客服当前不可接入（离线、忙碌或已满）') {
    super(422, 'agent_unavailable', message);
  }
}

/** 423 locked: too many failed logins on an H5 account; the message says when to retry. */
export class Locked extends AppError {
  constructor(message: string) {
    super(423, 'locked', message);
  }
}

/** 429 rate_limited: too many codes, registrations or lookups; the message says when to retry. */
export class RateLimited extends AppError {
  constructor(message: string) {
    super(429, 'rate_limited', message);
  }
}

/** 429 too_many_attempts: the staff login's guessing limit. */
export class TooManyAttempts extends AppError {
  constructor(message: string) {
    super(429, 'too_many_attempts', message);
  }
}
