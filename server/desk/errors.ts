import { Conflict, Forbidden } from '../http/errors.js';

// The desk's refusals (common/desk-api.ts lists the codes the console relies on: 409 already_taken,
// not_open, at_capacity, shortcut_taken, not_failed; 422 agent_unavailable). The classes are the
// server's one family in server/http/errors.ts.
export { AgentUnavailable, Conflict } from '../http/errors.js';

export const notYours = () => new Forbidden('这不是您的会话', 'not_yours');
export const notOpen = () => new Conflict('not_open', '会话已结束');
