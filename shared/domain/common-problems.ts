/**
 * 共性问题: open cases from different enterprises that describe the same problem. Two cases match
 * when they are of the same category and their texts share enough Chinese character pairs
 * (bigrams) — a measure a person can follow: the shared phrases are shown as the reason.
 * Pure: the texts come in, the groups go out.
 */

/** One open case as the matching sees it. */
export interface ProblemText {
  id: string;
  caseNo: string;
  /** Cases of one enterprise never make a common problem among themselves. */
  creditCode: string;
  category: string;
  /** Title and description. */
  text: string;
}

/** Why two cases matched: how much of their wording they share, and which phrases. */
export interface Match {
  a: string;
  b: string;
  /** Dice coefficient of the two texts' bigram sets, in [0, 1]. */
  score: number;
  /** The longest phrases both texts contain, longest first. */
  phrases: string[];
}

export interface ProblemGroup {
  category: string;
  caseIds: string[];
  /** The matches that join the group (a spanning tree of its strongest matches). */
  matches: Match[];
  /** The phrases the matches share, most frequent first. */
  phrases: string[];
}

/** Two texts whose bigram sets overlap at least this much (Dice) are taken to describe one problem. */
export const SIMILARITY_THRESHOLD = 0.15;

/**
 * Pairs that say nothing about the problem itself: how enterprises write to the government.
 * They are left out of the comparison, so that "我公司希望尽快解决" does not make two cases alike.
 */
const FILLER = new Set(
  (
    '企业 公司 有限 限公 我们 我司 司的 问题 希望 目前 已经 没有 一直 相关 部门 需要 解决 反映 情况 能够 ' +
    '尽快 进行 由于 导致 协调 帮助 这个 一个 现在 今年 去年 县里 请求 恳请 政府 给予 予以 支持 影响 ' +
    '但是 因为 所以 以及 还是 非常 比较 可以 是否 能否 什么 如何 怎么 时间 工作 方面 存在 及时 办理 个月 个多 还没 多次'
  ).split(' '),
);

/** The runs of Han characters, letters and digits of a text, lower-cased. */
function runsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{Script=Han}a-z0-9]+/gu) ?? [];
}

/** The text's character pairs within each run, filler pairs left out. */
export function bigramsOf(text: string): Set<string> {
  const grams = new Set<string>();
  for (const run of runsOf(text)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) {
      const gram = chars[i]! + chars[i + 1]!;
      if (!FILLER.has(gram)) grams.add(gram);
    }
  }
  return grams;
}

/** Dice coefficient of two bigram sets. */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/**
 * The longest phrases (two characters or more) that both texts contain, longest first, without
 * phrases that are only filler or that lie inside a longer one.
 */
export function sharedPhrases(a: string, b: string, limit = 5): string[] {
  const other = runsOf(b).join('|');
  const found = new Set<string>();
  for (const run of runsOf(a)) {
    const chars = [...run];
    let i = 0;
    while (i < chars.length - 1) {
      let length = 0;
      while (i + length < chars.length && other.includes(chars.slice(i, i + length + 1).join('')))
        length += 1;
      if (length >= 2) {
        const phrase = chars.slice(i, i + length).join('');
        if ([...bigramsOf(phrase)].length) found.add(phrase);
        i += length;
      } else i += 1;
    }
  }
  const phrases = [...found].sort((x, y) => [...y].length - [...x].length || x.localeCompare(y));
  return phrases.filter((p, i) => !phrases.slice(0, i).some((longer) => longer.includes(p))).slice(0, limit);
}

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** A pair of cases the office separated (split from a group): never suggested together again. */
export function separatedPair(a: string, b: string): string {
  return pairKey(a, b);
}

/** The match of two cases, scored and explained. */
export function matchOf(a: ProblemText, b: ProblemText): Match {
  return {
    a: a.id,
    b: b.id,
    score: similarity(bigramsOf(a.text), bigramsOf(b.text)),
    phrases: sharedPhrases(a.text, b.text),
  };
}

/**
 * Groups cases that describe one problem: same category, different enterprises, and a chain of
 * matches at or above the threshold (pairs the office separated excluded). Each group carries the
 * strongest matches that join it, with their shared phrases. Groups and members by case number.
 */
export function suggestGroups(
  cases: readonly ProblemText[],
  options: { threshold?: number; separated?: ReadonlySet<string> } = {},
): ProblemGroup[] {
  const threshold = options.threshold ?? SIMILARITY_THRESHOLD;
  const separated = options.separated ?? new Set<string>();
  const grams = new Map(cases.map((c) => [c.id, bigramsOf(c.text)]));
  const byId = new Map(cases.map((c) => [c.id, c]));
  const edges: Match[] = [];
  for (const [i, a] of cases.entries()) {
    for (const b of cases.slice(i + 1)) {
      if (a.category !== b.category || a.creditCode === b.creditCode) continue;
      if (separated.has(pairKey(a.id, b.id))) continue;
      const score = similarity(grams.get(a.id)!, grams.get(b.id)!);
      if (score >= threshold) edges.push({ a: a.id, b: b.id, score, phrases: [] });
    }
  }
  // Kruskal on the strongest matches first: the tree that joins each group by its best evidence.
  edges.sort((x, y) => y.score - x.score || pairKey(x.a, x.b).localeCompare(pairKey(y.a, y.b)));
  const parent = new Map(cases.map((c) => [c.id, c.id]));
  const root = (id: string): string => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    return r;
  };
  const tree: Match[] = [];
  for (const edge of edges) {
    const [ra, rb] = [root(edge.a), root(edge.b)];
    if (ra === rb) continue;
    parent.set(ra, rb);
    tree.push({ ...edge, phrases: sharedPhrases(byId.get(edge.a)!.text, byId.get(edge.b)!.text) });
  }
  const groups = new Map<string, ProblemGroup>();
  for (const match of tree) {
    const key = root(match.a);
    const group = groups.get(key) ?? {
      category: byId.get(match.a)!.category,
      caseIds: [],
      matches: [],
      phrases: [],
    };
    group.matches.push(match);
    for (const id of [match.a, match.b]) if (!group.caseIds.includes(id)) group.caseIds.push(id);
    groups.set(key, group);
  }
  const caseNo = (id: string) => byId.get(id)!.caseNo;
  return [...groups.values()]
    .map((group) => {
      const counts = new Map<string, number>();
      for (const m of group.matches) for (const p of m.phrases) counts.set(p, (counts.get(p) ?? 0) + 1);
      return {
        ...group,
        caseIds: group.caseIds.sort((x, y) => caseNo(x).localeCompare(caseNo(y))),
        phrases: [...counts.keys()].sort(
          (x, y) => counts.get(y)! - counts.get(x)! || [...y].length - [...x].length,
        ),
      };
    })
    .sort((x, y) => caseNo(x.caseIds[0]!).localeCompare(caseNo(y.caseIds[0]!)));
}

/** The matches among a confirmed group's cases, for its reason: each member's best match in the group. */
export function explainGroup(cases: readonly ProblemText[]): Match[] {
  const matches: Match[] = [];
  for (const [i, a] of cases.entries()) {
    if (i === 0) continue;
    const best = cases
      .slice(0, i)
      .map((b) => matchOf(b, a))
      .sort((x, y) => y.score - x.score)[0];
    if (best) matches.push(best);
  }
  return matches;
}
