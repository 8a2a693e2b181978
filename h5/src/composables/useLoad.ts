import { ref, type Ref } from 'vue';
import { messageOf } from '../api/http';

/** A page's data with its loading and error state; `load` runs again for retry and pull-to-refresh. */
export function useLoad<T>(fetcher: () => Promise<T>): {
  data: Ref<T | null>;
  loading: Ref<boolean>;
  error: Ref<string | null>;
  /** Resolves to the error message, or null; a failed refresh keeps the old content (the caller toasts). */
  load: () => Promise<string | null>;
} {
  const data = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(true);
  const error = ref<string | null>(null);

  async function load(): Promise<string | null> {
    // On refresh the old content stays; the skeleton shows only on the first load.
    if (data.value === null) loading.value = true;
    try {
      data.value = await fetcher();
      error.value = null;
      return null;
    } catch (e) {
      const message = messageOf(e);
      if (data.value === null) error.value = message;
      return message;
    } finally {
      loading.value = false;
    }
  }

  void load();
  return { data, loading, error, load };
}
