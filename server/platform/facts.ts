/**
 * Facts about the service that answers state (the hotline, the hours of the human desk). They
 * come from the configuration, in one place, and answers hold placeholders for them that are
 * filled when a reply is sent: a knowledge-base text never goes stale when the hours change.
 *
 *   {{hotline}}     the service hotline (SERVICE_HOTLINE)
 *   {{desk_hours}}  when agents take chats (DESK_HOURS, in words: "周一至周五 08:30-17:30")
 */
export interface ServiceFacts {
  hotline: string;
  deskHours: string;
}

export const FACT_PLACEHOLDERS = ['{{hotline}}', '{{desk_hours}}'] as const;

/** The text with its placeholders filled; an unknown placeholder stays as written, for staff to see. */
export function fillFacts(text: string, facts: ServiceFacts): string {
  return text.replace(/\{\{\s*(hotline|desk_hours)\s*\}\}/g, (_m, name: string) => (name === 'hotline' ? facts.hotline : facts.deskHours));
}
