import { ref } from 'vue';
import type { PointsEntry } from '../../../../common/h5-api';
import { messageOf } from '../../api/http';
import { getPoints } from '../../api/me';

/** The points ledger, page by page, for Vant's List (infinite paging) and PullRefresh. */
export function useLedger() {
  const items = ref<PointsEntry[]>([]);
  const balance = ref<number | null>(null);
  const loading = ref(false);
  const finished = ref(false);
  const error = ref(false);
  const firstError = ref<string | null>(null);
  let nextPage = 1;

  /** List's @load: the next page. */
  async function loadMore(): Promise<void> {
    loading.value = true;
    try {
      const page = await getPoints(nextPage);
      if (nextPage === 1) items.value = [];
      items.value.push(...page.items);
      balance.value = page.balance;
      nextPage = page.page + 1;
      finished.value = page.items.length === 0 || items.value.length >= page.total;
      firstError.value = null;
      error.value = false;
    } catch (e) {
      if (items.value.length === 0) firstError.value = messageOf(e);
      error.value = true;
    } finally {
      loading.value = false;
    }
  }

  /** Pull-to-refresh and retry: from the first page again. */
  async function reload(): Promise<void> {
    nextPage = 1;
    finished.value = false;
    error.value = false;
    await loadMore();
  }

  return { items, balance, loading, finished, error, firstError, loadMore, reload };
}
