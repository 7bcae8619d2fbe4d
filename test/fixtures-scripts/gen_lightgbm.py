"""Writes LightGBM text models (the format of LightGBM's `save_model('m.txt')`, version v4) for
test/interop/lightgbm.test.ts. LightGBM is not packaged here, so the trees are grown by a small
gradient-boosting loop over scikit-learn regression trees on the parity data sets, then written
in LightGBM's documented text format with chosen decision types (missing type None / NaN,
default left / right, categorical bitsets spanning several 32-bit words). The expected outputs
come from an independent Python walk of the same documented rules (LightGBM v4 tree.h:
NumericalDecision, CategoricalDecision). Run: /usr/bin/python3 test/fixtures-scripts/gen_lightgbm.py
"""
import json
import math
import os

import numpy as np
from sklearn.tree import DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
SKLEARN = os.path.join(HERE, "..", "fixtures", "sklearn")
OUT = os.path.join(HERE, "..", "fixtures", "lightgbm")


def parity(name):
    with open(os.path.join(SKLEARN, name)) as f:
        d = json.load(f)["input"]
    return np.array(d["X"], dtype=float), np.array(d["y"]), np.array(d["X_test"], dtype=float)


class Tree:
    """LightGBM's arrays: internal nodes 0..L-2, children >= 0 internal, ~leaf for leaves."""

    def __init__(self):
        self.split_feature, self.threshold, self.decision_type = [], [], []
        self.left, self.right, self.gain, self.leaf_value = [], [], [], []
        self.cat_boundaries, self.cat_threshold = [0], []

    def from_sklearn(self, t, scale, rng):
        s = t.tree_
        ids = {}

        def walk(n):
            if s.children_left[n] == -1:
                self.leaf_value.append(float(s.value[n][0][0]) * scale)
                return ~(len(self.leaf_value) - 1)
            i = len(self.split_feature)
            ids[n] = i
            self.split_feature.append(int(s.feature[n]))
            self.threshold.append(float(s.threshold[n]))
            # missing type NaN (8) with default left (2) or right, or None (0)
            self.decision_type.append(int(rng.choice([0, 8, 10])))
            self.gain.append(float(s.impurity[n]))
            self.left.append(None)
            self.right.append(None)
            self.left[i] = walk(s.children_left[n])
            self.right[i] = walk(s.children_right[n])
            return i

        walk(0)
        return self

    def text(self, index):
        L = len(self.leaf_value)
        num = lambda a: " ".join(repr(float(v)) for v in a)
        ints = lambda a: " ".join(str(int(v)) for v in a)
        lines = [f"Tree={index}", f"num_leaves={L}", f"num_cat={len(self.cat_boundaries) - 1}"]
        if L > 1:
            lines += [
                f"split_feature={ints(self.split_feature)}",
                f"split_gain={num(self.gain)}",
                f"threshold={num(self.threshold)}",
                f"decision_type={ints(self.decision_type)}",
                f"left_child={ints(self.left)}",
                f"right_child={ints(self.right)}",
            ]
        lines += [f"leaf_value={num(self.leaf_value)}", f"leaf_weight={num([1] * L)}", f"leaf_count={ints([1] * L)}"]
        if L > 1:
            lines += [f"internal_value={num([0] * (L - 1))}", f"internal_weight={num([0] * (L - 1))}", f"internal_count={ints([1] * (L - 1))}"]
        if len(self.cat_boundaries) > 1:
            lines += [f"cat_boundaries={ints(self.cat_boundaries)}", f"cat_threshold={ints(self.cat_threshold)}"]
        lines += ["is_linear=0", "shrinkage=1", "", ""]
        return "\n".join(lines)

    def predict(self, x):
        if len(self.leaf_value) == 1:
            return self.leaf_value[0]
        node = 0
        while node >= 0:
            f, dt = self.split_feature[node], self.decision_type[node]
            v = x[f]
            if dt & 1:  # categorical: NaN and negatives right, else the bitset
                go_left = False
                if not math.isnan(v) and int(v) >= 0:
                    c, k = int(v), int(self.threshold[node])
                    lo, hi = self.cat_boundaries[k], self.cat_boundaries[k + 1]
                    w = c // 32
                    go_left = w < hi - lo and (self.cat_threshold[lo + w] >> (c % 32)) & 1 == 1
            else:
                missing = (dt >> 2) & 3
                if math.isnan(v) and missing != 2:
                    v = 0.0
                if (missing == 1 and abs(v) <= 1e-35) or (missing == 2 and math.isnan(v)):
                    go_left = bool(dt & 2)
                else:
                    go_left = v <= self.threshold[node]
            node = self.left[node] if go_left else self.right[node]
        return self.leaf_value[~node]


def boost(X, targets, rounds, lr, rng, depth=3):
    """Plain gradient boosting of K score columns (squared error on the given targets' residuals)."""
    K = targets.shape[1]
    score = np.zeros_like(targets, dtype=float)
    trees = []
    for _ in range(rounds):
        for k in range(K):
            t = DecisionTreeRegressor(max_depth=depth, random_state=0).fit(X, targets[:, k] - score[:, k])
            score[:, k] += lr * t.predict(X)
            trees.append(Tree().from_sklearn(t, lr, rng))
    return trees


def header(objective, K, p, trees):
    return "\n".join([
        "tree", "version=v4", f"num_class={K if K > 1 else 1}", f"num_tree_per_iteration={K}", "label_index=0",
        f"max_feature_idx={p - 1}", f"objective={objective}",
        "feature_names=" + " ".join(f"Column_{i}" for i in range(p)),
        "feature_infos=" + " ".join("[-1:1]" for _ in range(p)),
        "tree_sizes=" + " ".join(str(len(t.text(i))) for i, t in enumerate(trees)), "", "",
    ])


def write(name, objective, K, p, trees, X_test, link):
    text = header(objective, K, p, trees) + "".join(t.text(i) for i, t in enumerate(trees))
    text += "end of trees\n\nfeature_importances:\n\nparameters:\n[boosting: gbdt]\nend of parameters\n\npandas_categorical:null\n"
    with open(os.path.join(OUT, f"{name}.txt"), "w") as f:
        f.write(text)
    raw = np.zeros((len(X_test), K))
    for i, t in enumerate(trees):
        raw[:, i % K] += [t.predict(x) for x in X_test]
    out = {"X_test": [[None if math.isnan(v) else v for v in r] for r in X_test.tolist()], "raw": raw.tolist(), "output": link(raw).tolist()}
    with open(os.path.join(OUT, f"{name}.expected.json"), "w") as f:
        json.dump(out, f)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(7)
    holes = lambda X: np.where(rng.random(X.shape) < 0.1, np.nan, X)

    X, y, Xt = parity("breast_cancer.logistic_regression.json")
    trees = boost(X, (2 * y - 1.0)[:, None], 8, 0.3, rng)
    sig = lambda r: 1 / (1 + np.exp(-r[:, 0]))
    write("breast_cancer.binary", "binary sigmoid:1", 1, X.shape[1], trees, holes(Xt), sig)

    X, y, Xt = parity("iris.logistic_regression.json")
    trees = boost(X, np.eye(3)[y.astype(int)] * 2 - 1, 4, 0.5, rng)
    soft = lambda r: np.exp(r - r.max(1, keepdims=True)) / np.exp(r - r.max(1, keepdims=True)).sum(1, keepdims=True)
    write("iris.multiclass", "multiclass num_class:3", 3, X.shape[1], trees, holes(Xt), soft)

    X, y, Xt = parity("diabetes.linear_regression.json")
    trees = boost(X, y[:, None].astype(float), 10, 0.2, rng, depth=4)
    trees[0].leaf_value = [v + 152.0 for v in trees[0].leaf_value]  # the init score rides in tree 0, as LightGBM writes it
    write("diabetes.regression", "regression", 1, X.shape[1], trees, holes(Xt), lambda r: r[:, 0])

    # Categorical splits: feature 0 holds codes 0..69 (bitsets of three words), feature 1 a number.
    t = Tree()
    t.split_feature, t.decision_type = [0, 1, 0], [1 | 8, 8 | 2, 1]
    t.threshold = [0, 0.25, 1]  # categorical thresholds index cat_boundaries
    left_set = [1, 5, 33, 34, 64, 69]
    second = [2, 3, 40]
    words = lambda s, n: [sum(1 << (c - 32 * w) for c in s if c // 32 == w) for w in range(n)]
    t.cat_boundaries = [0, 3, 5]
    t.cat_threshold = words(left_set, 3) + words(second, 2)
    t.left, t.right = [1, -1, -3], [2, -2, -4]
    t.leaf_value, t.gain = [0.5, -0.25, 1.0, -1.0], [1, 1, 1]
    one_leaf = Tree()
    one_leaf.leaf_value = [0.125]
    codes = np.concatenate([rng.integers(0, 75, 80).astype(float), [np.nan, -1, 1, 33, 69, 70, 200]])
    nums = np.concatenate([rng.normal(size=80), [0.1, 0.3, np.nan, -2, 0.25, 1, 0]])
    write("synthetic.categorical", "regression", 1, 2, [t, one_leaf], np.stack([codes, nums], 1), lambda r: r[:, 0])


if __name__ == "__main__":
    main()
