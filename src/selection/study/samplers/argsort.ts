/**
 * numpy's default argsort (introsort: median-of-three quicksort, insertion sort below 16
 * elements), reproduced so that tied values are ordered as Optuna's Parzen estimator orders them
 * (the kernel widths of equal observations depend on it).
 */
const SMALL_QUICKSORT = 15;

function msb(n: number): number {
  let d = 0;
  while (n > 1) {
    n >>>= 1;
    d++;
  }
  return d;
}

const less = (a: number, b: number): boolean => a < b || (b !== b && a === a);

export function numpyArgsort(v: ArrayLike<number>): number[] {
  const num = v.length;
  const t = Array.from({ length: num }, (_, i) => i);
  if (num < 2) return t;
  const swap = (i: number, j: number) => {
    const x = t[i];
    t[i] = t[j];
    t[j] = x;
  };
  let pl = 0,
    pr = num - 1;
  const stack: number[] = [];
  const depths: number[] = [];
  let cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      // numpy switches to heapsort here; a stable sort of the range gives the same order for
      // distinct values (never reached for the sizes a study has).
      const part = t.slice(pl, pr + 1).sort((i, j) => (less(v[i], v[j]) ? -1 : less(v[j], v[i]) ? 1 : 0));
      t.splice(pl, part.length, ...part);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (less(v[t[pm]], v[t[pl]])) swap(pm, pl);
        if (less(v[t[pr]], v[t[pm]])) swap(pr, pm);
        if (less(v[t[pm]], v[t[pl]])) swap(pm, pl);
        const vp = v[t[pm]];
        let pi = pl,
          pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (less(v[t[pi]], vp));
          do --pj;
          while (less(vp, v[t[pj]]));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = t[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && less(vp, v[t[pj - 1]])) {
          t[pj] = t[pj - 1];
          pj--;
        }
        t[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    cdepth = depths.pop() as number;
  }
  return t;
}
