/** The estimators a config may name (`model.class`): kiln's own, nothing loaded by name from elsewhere. */
import { DummyClassifier, DummyRegressor } from '../models/dummy/index.js';
import { GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor } from '../models/ensemble/index.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../models/tree/index.js';
import { ElasticNet, Lasso, LinearRegression, LinearSVC, LogisticRegression, Ridge, SGDClassifier, SGDRegressor } from '../models/linear/index.js';
import { GaussianNB } from '../models/naive-bayes/index.js';
import { KNeighborsClassifier, KNeighborsRegressor } from '../models/neighbors/index.js';
import { MLPClassifier, MLPRegressor } from '../models/neural/index.js';
import type { FinalStep } from '../compose/steps.js';

export type Task = 'classification' | 'regression';

export interface EstimatorKind {
  create: (params: Record<string, unknown>) => FinalStep;
  task: Task;
  /** Tree models: no scaling needed, NaN handled, categorical columns as ordinal codes (categoricalFeatures). */
  tree: boolean;
  /** fit takes { onProgress } per boosting round. */
  rounds: boolean;
}

const make =
  <P>(Ctor: new (p: Partial<P>) => FinalStep) =>
  (params: Record<string, unknown>) =>
    new Ctor(params as Partial<P>);

export const ESTIMATORS: Record<string, EstimatorKind> = {
  GradientBoostingClassifier: { create: make(GradientBoostingClassifier), task: 'classification', tree: true, rounds: true },
  GradientBoostingRegressor: { create: make(GradientBoostingRegressor), task: 'regression', tree: true, rounds: true },
  RandomForestClassifier: { create: make(RandomForestClassifier), task: 'classification', tree: true, rounds: false },
  RandomForestRegressor: { create: make(RandomForestRegressor), task: 'regression', tree: true, rounds: false },
  DecisionTreeClassifier: { create: make(DecisionTreeClassifier), task: 'classification', tree: true, rounds: false },
  DecisionTreeRegressor: { create: make(DecisionTreeRegressor), task: 'regression', tree: true, rounds: false },
  LogisticRegression: { create: make(LogisticRegression), task: 'classification', tree: false, rounds: false },
  SGDClassifier: { create: make(SGDClassifier), task: 'classification', tree: false, rounds: false },
  LinearSVC: { create: make(LinearSVC), task: 'classification', tree: false, rounds: false },
  KNeighborsClassifier: { create: make(KNeighborsClassifier), task: 'classification', tree: false, rounds: false },
  GaussianNB: { create: make(GaussianNB), task: 'classification', tree: false, rounds: false },
  MLPClassifier: { create: make(MLPClassifier), task: 'classification', tree: false, rounds: false },
  DummyClassifier: { create: make(DummyClassifier), task: 'classification', tree: false, rounds: false },
  LinearRegression: { create: make(LinearRegression), task: 'regression', tree: false, rounds: false },
  Ridge: { create: make(Ridge), task: 'regression', tree: false, rounds: false },
  Lasso: { create: make(Lasso), task: 'regression', tree: false, rounds: false },
  ElasticNet: { create: make(ElasticNet), task: 'regression', tree: false, rounds: false },
  SGDRegressor: { create: make(SGDRegressor), task: 'regression', tree: false, rounds: false },
  KNeighborsRegressor: { create: make(KNeighborsRegressor), task: 'regression', tree: false, rounds: false },
  MLPRegressor: { create: make(MLPRegressor), task: 'regression', tree: false, rounds: false },
  DummyRegressor: { create: make(DummyRegressor), task: 'regression', tree: false, rounds: false },
};

export const estimatorNames = (task?: Task): string[] => Object.keys(ESTIMATORS).filter((k) => !task || ESTIMATORS[k].task === task);
