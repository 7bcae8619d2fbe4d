/**
 * numpy's default argsort (introsort: median-of-3 quicksort, insertion sort below 17
 * elements, heapsort past the depth limit), ported from numpy 1.24's npysort. It is not
 * stable, and GroupKFold's fold assignment depends on how it orders equal-sized groups:
 * porting it is what makes our folds identical to scikit-learn's.
 */
const SMALL_QUICKSORT = 15;

function msb(n: number): number {
  let d = 0;
  while (n > 1) {
    n = Math.floor(n / 2);
    d++;
  }
  return d;
}

function aheapsort(v: ArrayLike<number>, a: Int32Array, start: number, n: number): void {
  // 1-based heap over a[start .. start + n - 1]
  const o = start - 1;
  let i: number, j: number, l: number, tmp: number;
  for (l = n >> 1; l > 0; --l) {
    tmp = a[o + l];
    for (i = l, j = l << 1; j <= n; ) {
      if (j < n && v[a[o + j]] < v[a[o + j + 1]]) j += 1;
      if (v[tmp] < v[a[o + j]]) {
        a[o + i] = a[o + j];
        i = j;
        j += j;
      } else break;
    }
    a[o + i] = tmp;
  }
  for (; n > 1; ) {
    tmp = a[o + n];
    a[o + n] = a[o + 1];
    n -= 1;
    for (i = 1, j = 2; j <= n; ) {
      if (j < n && v[a[o + j]] < v[a[o + j + 1]]) j++;
      if (v[tmp] < v[a[o + j]]) {
        a[o + i] = a[o + j];
        i = j;
        j += j;
      } else break;
    }
    a[o + i] = tmp;
  }
}

/** Indices that sort `v` ascending, in exactly numpy's order for ties. */
export function numpyArgsort(v: ArrayLike<number>): Int32Array {
  const num = v.length;
  const a = new Int32Array(num);
  for (let i = 0; i < num; i++) a[i] = i;
  if (num < 2) return a;
  const swap = (x: number, y: number) => {
    const t = a[x];
    a[x] = a[y];
    a[y] = t;
  };
  const stack: number[] = [],
    depthStack: number[] = [];
  let pl = 0,
    pr = num - 1,
    cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      aheapsort(v, a, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[a[pm]] < v[a[pl]]) swap(pm, pl);
        if (v[a[pr]] < v[a[pm]]) swap(pr, pm);
        if (v[a[pm]] < v[a[pl]]) swap(pm, pl);
        const vp = v[a[pm]];
        let pi = pl,
          pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (v[a[pi]] < vp);
          do --pj;
          while (vp < v[a[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // push the larger partition, keep sorting the smaller
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depthStack.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = a[pi],
          vv = v[vi];
        let pj = pi,
          pk = pi - 1;
        while (pj > pl && vv < v[a[pk]]) a[pj--] = a[pk--];
        a[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depthStack.pop()!;
  }
  return a;
}
