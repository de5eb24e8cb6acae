// The table's page cache against a reader that answers when the test says: which pages it asks
// for as the window moves, that it never holds more than its bound, and that pages read for an
// old view never land in the new one.
import { describe, expect, it } from "vitest";
import { PageCache, type PageAnswer } from "./pageCache.svelte";

interface Ask {
  view: string;
  offset: number;
  limit: number;
  withTotal: boolean;
  answer: (rows?: string[]) => Promise<void>;
  fail: (e: unknown) => Promise<void>;
}

/** A view of `total` rows named `${view}:${i}`, whose reads wait in `asked` until answered. */
function reader(asked: Ask[], view: string, total: number) {
  return (offset: number, limit: number, withTotal: boolean) =>
    new Promise<PageAnswer<string>>((resolve, reject) => {
      const rows = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => `${view}:${offset + i}`);
      const settle = () => new Promise<void>((r) => setTimeout(r, 0));
      asked.push({
        view,
        offset,
        limit,
        withTotal,
        answer: (given) => {
          resolve({ rows: given ?? rows, total: withTotal ? total : null });
          return settle();
        },
        fail: (e) => {
          reject(e);
          return settle();
        },
      });
    });
}

const offsets = (asked: Ask[]) => asked.map((a) => a.offset);
const answerAll = async (asked: Ask[]) => {
  for (const a of asked.splice(0)) await a.answer();
};

describe("the table's page cache", () => {
  it("reads the first page with the count, then the pages of the window and its margin as it moves", async () => {
    const asked: Ask[] = [];
    const cache = new PageCache<string>({ pageSize: 100, maxPages: 4, margin: 50 });
    cache.open(reader(asked, "a", 1000));
    expect(asked.map((a) => [a.offset, a.limit, a.withTotal])).toEqual([[0, 100, true]]);
    expect(cache.total).toBeNull();
    expect(cache.row(0)).toBeUndefined();
    // The window at the top while the first page is on its way: nothing more is asked for.
    cache.show(0, 20);
    expect(asked).toHaveLength(1);
    await answerAll(asked);
    expect(cache.total).toBe(1000);
    expect(cache.loaded).toBe(true);
    expect(cache.row(0)).toBe("a:0");
    expect(cache.row(99)).toBe("a:99");
    expect(cache.row(100)).toBeUndefined();
    expect(asked).toHaveLength(0);

    // Near the end of the first page: the margin reaches into the second.
    cache.show(60, 80);
    expect(offsets(asked)).toEqual([100]);
    expect(asked[0]!.withTotal).toBe(false);
    // Asked once while it is on its way.
    cache.show(61, 81);
    expect(offsets(asked)).toEqual([100]);
    await answerAll(asked);
    expect(cache.row(130)).toBe("a:130");

    // A jump to the middle: the page there and the ones its margin touches, nothing between.
    cache.show(520, 540);
    expect(offsets(asked)).toEqual([400, 500]);
    await answerAll(asked);
    // The end of the view: the last page, nothing past it.
    cache.show(980, 1000);
    expect(offsets(asked)).toEqual([900]);
    await answerAll(asked);
    expect(cache.row(999)).toBe("a:999");
    expect(cache.row(1000)).toBeUndefined();
  });

  it("holds at most its bound of rows, dropping the pages farthest from the window", async () => {
    const asked: Ask[] = [];
    const cache = new PageCache<string>({ pageSize: 100, maxPages: 3, margin: 20 });
    cache.open(reader(asked, "a", 100_000));
    await answerAll(asked);
    let most = 0;
    // Scrolled through the whole view, 30 rows at a time.
    for (let start = 0; start < 100_000; start += 30) {
      cache.show(start, Math.min(100_000, start + 30));
      await answerAll(asked);
      most = Math.max(most, cache.held);
      expect(cache.heldPages().length).toBeLessThanOrEqual(3);
    }
    expect(most).toBeLessThanOrEqual(300);
    expect(cache.row(99_999)).toBe("a:99999");
    // The pages kept are the ones at the end, where the window is.
    expect(cache.heldPages()).toEqual([997, 998, 999]);
    expect(cache.held).toBe(300);
    // Back to the top: the farthest from it (the last page) goes first.
    cache.show(0, 30);
    await answerAll(asked);
    expect(cache.heldPages()).toEqual([0, 997, 998]);
    cache.show(150, 180);
    await answerAll(asked);
    expect(cache.heldPages()).toEqual([0, 1, 997]);
  });

  it("drops the pages read for an old view, whenever they arrive", async () => {
    const asked: Ask[] = [];
    const cache = new PageCache<string>({ pageSize: 100, maxPages: 4, margin: 50 });
    cache.open(reader(asked, "old", 1000));
    await answerAll(asked);
    cache.show(500, 520);
    const oldPages = asked.splice(0);
    expect(oldPages.map((a) => a.offset)).toEqual([400, 500]);
    // Another sort while the old view's pages are on their way.
    cache.open(reader(asked, "new", 300));
    expect(cache.total).toBeNull();
    expect(cache.row(0)).toBeUndefined();
    const [first] = asked.splice(0);
    expect(first).toMatchObject({ view: "new", offset: 0, withTotal: true });
    // The old answers arrive before and after the new view's first page: neither lands.
    await oldPages[0]!.answer();
    expect(cache.held).toBe(0);
    expect(cache.total).toBeNull();
    await first!.answer();
    await oldPages[1]!.answer();
    expect(cache.total).toBe(300);
    expect(cache.heldPages()).toEqual([0]);
    expect(cache.row(0)).toBe("new:0");
    expect(cache.row(450)).toBeUndefined();
    // A failed read of the old view is no error of the new one.
    cache.show(200, 220);
    const [failing] = asked.splice(0);
    expect(failing).toMatchObject({ view: "new", offset: 100 });
    cache.open(reader(asked, "newer", 10));
    await failing!.fail({ code: "db", message: "disk I/O error" });
    expect(cache.error).toBeNull();
    await answerAll(asked);
    expect(cache.total).toBe(10);
    expect(cache.row(9)).toBe("newer:9");
  });

  it("keeps the rows shown while a reload reads them again, and reports a failed read once", async () => {
    const asked: Ask[] = [];
    const cache = new PageCache<string>({ pageSize: 100, maxPages: 4, margin: 10 });
    cache.open(reader(asked, "a", 1000));
    await answerAll(asked);
    cache.show(320, 340);
    await answerAll(asked);
    expect(cache.heldPages()).toEqual([0, 3]);
    // A sync: the window's page is read again with the count; the one away from it is dropped.
    cache.reload();
    expect(asked.map((a) => [a.offset, a.withTotal])).toEqual([[300, true]]);
    expect(cache.heldPages()).toEqual([3]);
    expect(cache.row(300)).toBe("a:300");
    const again = asked.splice(0);
    await again[0]!.answer(Array.from({ length: 100 }, (_, i) => `b:${300 + i}`));
    expect(cache.row(300)).toBe("b:300");

    // A failing read: the error is shown, the page is not asked for again as the window moves.
    cache.show(500, 520);
    const [failing] = asked.splice(0);
    await failing!.fail({ code: "db", message: "disk I/O error" });
    expect(cache.error?.message).toBe("disk I/O error");
    cache.show(501, 521);
    expect(asked).toHaveLength(0);
    // Until the next reload, which reads it again and clears the error when it answers.
    cache.reload();
    await answerAll(asked);
    expect(cache.error).toBeNull();
    expect(cache.row(500)).toBe("a:500");
  });
});
