/**
 * Automatic assignment, pure: who takes which queued chat. The online agent with the most free
 * capacity wins; ties go to whoever has waited longest since their last chat (DESIGN.md §4:
 * "a per-agent concurrency cap and fair assignment"). Chats are taken in serving order.
 */
export interface AgentLoad {
  id: number;
  maxConcurrent: number;
  active: number;
  /** ms, or null if never assigned (waited longest). */
  lastAssignedAt: number | null;
}

export interface QueuedChat {
  conversationId: number;
  /** An agent this chat must not go back to (it was taken away for no answer). */
  avoidStaffId: number | null;
}

export interface PlannedAssignment {
  conversationId: number;
  staffId: number;
}

export function planAssignments(queue: QueuedChat[], agents: AgentLoad[], now: number): PlannedAssignment[] {
  const load = agents.map((a) => ({ ...a }));
  const plan: PlannedAssignment[] = [];
  for (const chat of queue) {
    const best = pickAgent(load, chat.avoidStaffId);
    if (!best) {
      // Nobody free for this chat; a later chat may still fit an agent this one avoids.
      if (load.every((a) => a.active >= a.maxConcurrent)) break;
      continue;
    }
    plan.push({ conversationId: chat.conversationId, staffId: best.id });
    best.active += 1;
    best.lastAssignedAt = now;
  }
  return plan;
}

export function pickAgent<T extends AgentLoad>(agents: T[], avoidStaffId: number | null = null): T | undefined {
  let best: T | undefined;
  for (const a of agents) {
    if (a.id === avoidStaffId || a.active >= a.maxConcurrent) continue;
    if (!best || better(a, best)) best = a;
  }
  return best;
}

function better(a: AgentLoad, b: AgentLoad): boolean {
  const freeA = a.maxConcurrent - a.active;
  const freeB = b.maxConcurrent - b.active;
  if (freeA !== freeB) return freeA > freeB;
  const waitedA = a.lastAssignedAt ?? -Infinity;
  const waitedB = b.lastAssignedAt ?? -Infinity;
  if (waitedA !== waitedB) return waitedA < waitedB;
  return a.id < b.id;
}
