import type { Ref } from 'vue';
import { ElMessage, ElMessageBox } from 'element-plus';

export interface ConfirmedAction {
  title: string;
  message: string;
  confirmText: string;
  /** A destructive action gets a red confirm button. */
  danger?: boolean;
  /** The row being worked on, shown busy meanwhile. */
  busy: Ref<number | null>;
  id: number;
  run: () => Promise<unknown>;
  /** The toast after success. */
  done: string;
  /** Usually: reload the list. */
  after: () => Promise<void> | void;
}

/** Ask first, then act on one row: busy state, success toast, error toast. Cancelling does nothing. */
export async function confirmedAction(a: ConfirmedAction): Promise<void> {
  try {
    await ElMessageBox.confirm(a.message, a.title, {
      type: 'warning',
      confirmButtonText: a.confirmText,
      cancelButtonText: '取消',
      ...(a.danger ? { confirmButtonClass: 'el-button--danger' } : {}),
    });
  } catch {
    return; // cancelled
  }
  a.busy.value = a.id;
  try {
    await a.run();
    ElMessage.success(a.done);
    await a.after();
  } catch (err) {
    ElMessage.error((err as Error).message);
  } finally {
    a.busy.value = null;
  }
}
