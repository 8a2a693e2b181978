import { onMounted, ref, type Ref } from 'vue';

export interface PageResult<T> {
  items: T[];
  total: number;
}

/**
 * A paginated list page's state: rows, total, loading and error, and load() that fetches the
 * current page (search() goes back to page 1). Loads once on mount.
 */
export function usePagedList<T>(fetchPage: (page: number, pageSize: number) => Promise<PageResult<T>>, pageSizeDefault = 20) {
  const page = ref(1);
  const pageSize = ref(pageSizeDefault);
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const error = ref('');

  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      const res = await fetchPage(page.value, pageSize.value);
      rows.value = res.items;
      total.value = res.total;
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      loading.value = false;
    }
  }

  function search(): void {
    page.value = 1;
    void load();
  }

  onMounted(load);
  return { page, pageSize, rows, total, loading, error, load, search };
}
