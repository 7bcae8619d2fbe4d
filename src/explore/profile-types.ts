/** The shapes of a profile (profile.ts computes it, profile-html.ts draws it). */
import type { CategoricalSummary, NumericSummary } from '../data/frame.js';

export interface ProfileOptions {
  /** The column to analyse the others against (classification when categorical or with ≤ 10 distinct values). */
  target?: string;
  /** A date/time or ordered numeric column: the time-series section plots the numeric columns over it. */
  timeColumn?: string;
  /** Rows used for the pair plot and the PCA scatter (a seeded sample). Default: 1000. */
  sample?: number;
  randomState?: number;
  /** Called as each section is done (0..1), for a progress bar. */
  onProgress?: (done: number, section: string) => void;
}

export interface VariableProfile {
  name: string;
  kind: 'numeric' | 'categorical' | 'boolean' | 'datetime';
  summary: NumericSummary | CategoricalSummary;
  /** Numeric: histogram over equal bins; categorical: the 20 most frequent categories. */
  histogram?: { edges: number[]; counts: number[] };
  topCategories?: { category: string; count: number }[];
  /** Values beyond 1.5 IQR from the quartiles. */
  iqrOutliers?: number;
  /** Shapiro–Wilk for 3 to 5,000 values, else D'Agostino–Pearson (scipy's normaltest). */
  normality?: { test: 'shapiro' | 'normaltest'; statistic: number; pvalue: number };
}

export interface TargetRelation {
  feature: string;
  /** The test of association and its p-value: ANOVA F, chi-square of independence, or Pearson's r. */
  test: 'fOneway' | 'chi2Contingency' | 'pearsonr';
  statistic: number;
  pvalue: number;
  /** Mutual information (nats) of the feature and the target, numbers binned into deciles. */
  mutualInfo: number;
  /** Per target class, the feature's five-number summary (numeric feature, categorical target). */
  byClass?: { group: string; min: number; q1: number; median: number; q3: number; max: number }[];
}

export interface ProfileAlert {
  kind: 'constant' | 'highCardinality' | 'highMissing' | 'skewed' | 'imbalance' | 'duplicates' | 'leakage';
  column?: string;
  message: string;
}

export interface ProfileResult {
  overview: {
    rows: number;
    columns: number;
    types: Record<string, number>;
    missingCells: number;
    missingShare: number;
    duplicateRows: number;
    memoryBytes: number;
  };
  variables: VariableProfile[];
  correlations: {
    pearson?: { columns: string[]; matrix: number[] };
    spearman?: { columns: string[]; matrix: number[] };
    cramersV?: { columns: string[]; matrix: number[] };
    topPairs: { a: string; b: string; method: string; value: number }[];
  };
  missing: { perColumn: { column: string; missing: number; share: number }[]; coMissing?: { columns: string[]; matrix: number[] } };
  target?: {
    column: string;
    task: 'classification' | 'regression';
    classes?: { label: string; count: number }[];
    histogram?: { edges: number[]; counts: number[] };
    relations: TargetRelation[];
  };
  pca?: { explainedVarianceRatio: number[]; points: { x: number; y: number; label: string | null }[]; columns: string[] };
  pairPlot?: { columns: string[]; points: Record<string, number>[]; labels: (string | null)[] };
  timeSeries?: { column: string; series: Record<string, { t: number; v: number }[]> };
  alerts: ProfileAlert[];
}
