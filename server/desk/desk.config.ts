/**
 * The human service's rules. Declared by desk/, which reads them; server/config.ts, the top of
 * the server, fills them from the DESK_* variables.
 */
export interface DeskConfig {
  /** "always", or opening hours such as "mon-fri 08:30-17:30, sat 09:00-12:00". */
  hours: string;
  timeZone: string;
  queueTimeoutS: number;
  idleTimeoutS: number;
  /** An assigned chat whose customer waits this long for the agent goes to another agent. */
  answerTimeoutS: number;
  /** How often the timeout sweeper runs. */
  sweepMs: number;
}
