import { AppError, Forbidden } from '../http/errors.js';

/** The desk's refusals (common/desk-api.ts lists the codes the console relies on). */
export class Conflict extends AppError {
  constructor(code: 'already_taken' | 'not_open' | 'at_capacity' | 'shortcut_taken' | 'not_failed', message: string) {
    super(409, code, message);
  }
}

export class AgentUnavailable extends AppError {
  constructor(message = '该客服当前不可接入（离线、忙碌或已满）') {
    super(422, 'agent_unavailable', message);
  }
}

export const notYours = () => new Forbidden('这不是您的会话', 'not_yours');
export const notOpen = () => new Conflict('not_open', '会话已结束');
