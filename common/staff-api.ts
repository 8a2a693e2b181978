/** Staff roles. Admins manage the knowledge base; agents and technicians serve chats. */
export const STAFF_ROLES = ['agent', 'technician', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The logged-in staff member: POST /api/staff/session and GET /api/staff/me answer this. */
export interface StaffMe {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
}

/** POST /api/staff/session body. */
export interface LoginRequest {
  username: string;
  password: string;
}

/** Every /api error body. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}
