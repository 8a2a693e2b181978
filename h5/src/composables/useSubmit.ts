import { ref, type Ref } from 'vue';
import { messageOf } from '../api/http';

/**
 * A form's submit: one request at a time, `busy` for the button's spinner, and the server's
 * Chinese message in `error` when it fails (shown under the form).
 */
export function useSubmit(action: () => Promise<void>): { busy: Ref<boolean>; error: Ref<string>; submit: () => Promise<void> } {
  const busy = ref(false);
  const error = ref('');

  async function submit(): Promise<void> {
    if (busy.value) return;
    busy.value = true;
    error.value = '';
    try {
      await action();
    } catch (e) {
      error.value = messageOf(e);
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, submit };
}
