/** toPlain / fromPlain: fitted transformers, models and pipelines survive JSON; bad data is refused. */
import { describe, expect, it } from 'vitest';
import {
  ColumnTransformer,
  fromPlain,
  KBinsDiscretizer,
  KNeighborsClassifier,
  LogisticRegression,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  Pipeline,
  PolynomialFeatures,
  PowerTransformer,
  QuantileTransformer,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
  TargetEncoder,
  TfidfVectorizer,
  toPlain,
} from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const roundTrip = async <T>(x: T): Promise<T> => (await fromPlain(JSON.parse(JSON.stringify(await toPlain(x))))) as T;
const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 10 + 20, (i % 7) + 0.5, i % 5 === 0 ? NaN : Math.exp((i % 9) / 3)]);
const Xfinite = X.map((r) => r.map((v) => (Number.isNaN(v) ? 1 : v)));

describe('toPlain / fromPlain', () => {
  it('numeric transformers transform identically after a JSON round trip', async () => {
    const fitted = [
      await new StandardScaler().fit(X),
      await new MinMaxScaler({ featureRange: [-1, 1] }).fit(X),
      await new RobustScaler().fit(X),
      await new SimpleImputer({ strategy: 'median', addIndicator: true }).fit(X),
      await new PolynomialFeatures({ degree: 3 }).fit(Xfinite),
      await new KBinsDiscretizer({ nBins: 4 }).fit(Xfinite),
      await new QuantileTransformer({ nQuantiles: 20, outputDistribution: 'normal' }).fit(X),
      await new PowerTransformer({ method: 'box-cox' }).fit(Xfinite),
    ];
    for (const t of fitted) {
      const copy = await roundTrip(t);
      expect(copy).toBeInstanceOf(t.constructor);
      const input = t instanceof PolynomialFeatures || t instanceof KBinsDiscretizer || t instanceof PowerTransformer ? Xfinite : X;
      expect((await copy.transform(input)).toArray()).toEqual((await t.transform(input)).toArray());
    }
  });

  it('encoders, text vectorisers and a whole pipeline with a model round-trip', async () => {
    const rows = X.map((r, i) => [r[0], r[2], ['red', 'green', 'blue'][i % 3], `s${i % 4}`]);
    const y = X.map((_, i) => (i % 3 === 0 ? 'yes' : 'no'));
    const pipe = await new Pipeline([
      [
        'prep',
        new ColumnTransformer([
          [
            'num',
            new Pipeline([
              ['imp', new SimpleImputer()],
              ['scale', new StandardScaler()],
            ]),
            [0, 1],
          ],
          ['onehot', new OneHotEncoder({ handleUnknown: 'ignore' }), [2]],
          ['target', new TargetEncoder(), [3]],
        ]),
      ],
      ['clf', new LogisticRegression({ C: 0.5 })],
    ]).fit(rows, y);
    const copy = await roundTrip(pipe);
    expect(((await copy.predictProba(rows)) as any).toArray()).toEqual(((await pipe.predictProba(rows)) as any).toArray());
    const ord = await new OrdinalEncoder().fit([['a'], ['b']]);
    expect(await (await roundTrip(ord)).transform([['b']])).toEqual(await ord.transform([['b']]));
    const tfidf = await new TfidfVectorizer().fit(['a cat sat', 'the cat ran']);
    expect((await (await roundTrip(tfidf)).transform(['cat ran'])).toArray()).toEqual((await tfidf.transform(['cat ran'])).toArray());
  });

  it('refuses what plain data cannot hold, and data it did not write', async () => {
    const knn = await new KNeighborsClassifier({ nNeighbors: 1, backend: 'js' }).fit([[0], [1]], [0, 1]);
    await expect(toPlain(knn)).rejects.toThrowError(/refit after loading/);
    await expect(toPlain({ f: () => 1 })).rejects.toThrowError(code('E_PARAM'));
    await expect(fromPlain({ format: 'other' })).rejects.toThrowError(code('E_DATA_FORMAT'));
    await expect(fromPlain({ format: 'kiln-plain', version: 1, value: { $instance: 'Function', fields: {} } })).rejects.toThrowError(
      /not a class kiln exports/,
    );
    await expect(fromPlain({ format: 'kiln-plain', version: 1, value: { $instance: 'StandardScaler', fields: { ['__proto__']: {} } } })).rejects.toThrowError(
      code('E_DATA_FORMAT'),
    );
  });
});
