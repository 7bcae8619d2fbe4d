/**
 * Scalar minimisation as scipy.optimize.brent does it: expand a bracket from two starting
 * points by golden steps with parabolic extrapolation, then Brent's parabolic/golden search.
 * Following scipy step for step makes 1-D maximum-likelihood fits land where scipy's do.
 */
const GOLD = 1.618034;
const CG = 0.381966;
const MIN_TOL = 1e-11;

interface Bracket {
  xa: number;
  xb: number;
  xc: number;
  fb: number;
}

function bracket(f: (x: number) => number, xa0: number, xb0: number, growLimit = 110, maxIter = 1000): Bracket {
  let xa = xa0,
    xb = xb0,
    fa = f(xa),
    fb = f(xb);
  if (fa < fb) [xa, xb, fa, fb] = [xb, xa, fb, fa];
  let xc = xb + GOLD * (xb - xa),
    fc = f(xc);
  for (let iter = 0; fc < fb; iter++) {
    if (iter > maxIter) throw new Error('brent: no bracket found');
    const t1 = (xb - xa) * (fb - fc),
      t2 = (xb - xc) * (fb - fa),
      val = t2 - t1;
    const denom = Math.abs(val) < 1e-21 ? 2e-21 : 2 * val;
    let w = xb - ((xb - xc) * t2 - (xb - xa) * t1) / denom,
      fw: number;
    const wlim = xb + growLimit * (xc - xb);
    if ((w - xc) * (xb - w) > 0) {
      fw = f(w);
      if (fw < fc) return { xa: xb, xb: w, xc, fb: fw };
      if (fw > fb) return { xa, xb, xc: w, fb };
      w = xc + GOLD * (xc - xb);
      fw = f(w);
    } else if ((w - wlim) * (wlim - xc) >= 0) {
      w = wlim;
      fw = f(w);
    } else if ((w - wlim) * (xc - w) > 0) {
      fw = f(w);
      if (fw < fc) {
        xb = xc;
        xc = w;
        w = xc + GOLD * (xc - xb);
        fb = fc;
        fc = fw;
        fw = f(w);
      }
    } else {
      w = xc + GOLD * (xc - xb);
      fw = f(w);
    }
    [xa, xb, xc, fa, fb, fc] = [xb, xc, w, fb, fc, fw];
  }
  return { xa, xb, xc, fb };
}

/** The minimiser of f, searched from the bracket start (a, b); tol is relative (scipy's 1.48e-8). */
export function brentMinimize(f: (x: number) => number, a0: number, b0: number, tol = 1.48e-8, maxIter = 500): number {
  const br = bracket(f, a0, b0);
  let a = Math.min(br.xa, br.xc),
    b = Math.max(br.xa, br.xc);
  let x = br.xb,
    w = x,
    v = x,
    fx = br.fb,
    fw = fx,
    fv = fx;
  let deltax = 0,
    rat = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    const tol1 = tol * Math.abs(x) + MIN_TOL,
      tol2 = 2 * tol1,
      xmid = 0.5 * (a + b);
    if (Math.abs(x - xmid) < tol2 - 0.5 * (b - a)) break;
    if (Math.abs(deltax) <= tol1) {
      deltax = x >= xmid ? a - x : b - x;
      rat = CG * deltax;
    } else {
      const t1 = (x - w) * (fx - fv);
      let t2 = (x - v) * (fx - fw);
      let p = (x - v) * t2 - (x - w) * t1;
      t2 = 2 * (t2 - t1);
      if (t2 > 0) p = -p;
      t2 = Math.abs(t2);
      const previous = deltax;
      deltax = rat;
      if (p > t2 * (a - x) && p < t2 * (b - x) && Math.abs(p) < Math.abs(0.5 * t2 * previous)) {
        rat = p / t2; // parabolic step
        const u = x + rat;
        if (u - a < tol2 || b - u < tol2) rat = xmid - x >= 0 ? tol1 : -tol1;
      } else {
        deltax = x >= xmid ? a - x : b - x;
        rat = CG * deltax;
      }
    }
    const u = Math.abs(rat) < tol1 ? (rat >= 0 ? x + tol1 : x - tol1) : x + rat;
    const fu = f(u);
    if (fu > fx) {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        w = u;
        fv = fw;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    } else {
      if (u >= x) a = x;
      else b = x;
      v = w;
      w = x;
      x = u;
      fv = fw;
      fw = fx;
      fx = fu;
    }
  }
  return x;
}
