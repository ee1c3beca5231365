"""stylesim.stats.moments against brute force: Gram matrices, fold centring, U-means, and the
equality test's normalised MMD^2."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from stylesim.stats import moments, resampling

SETTINGS = settings(max_examples=40, deadline=None)


def _dense(m) -> np.ndarray:  # noqa: ANN001
    return m.toarray() if sp.issparse(m) else np.asarray(m)


def _brute_u_mean(g: np.ndarray) -> float:
    n = g.shape[0]
    return float(np.mean([g[p, q] for p in range(n) for q in range(n) if p != q]))


def _brute_mmd2(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2, linear kernel, paired samples: mean over p != q of h(p, q)."""
    n = x.shape[0]
    total = 0.0
    for p in range(n):
        for q in range(n):
            if p != q:
                total += x[p] @ x[q] + y[p] @ y[q] - x[p] @ y[q] - y[p] @ x[q]
    return total / (n * (n - 1))


def _brute_statistic(x: np.ndarray, y: np.ndarray) -> float:
    """The equality test's statistic: unbiased MMD^2 over the mean squared per-prompt difference
    (mean_p |x_p - y_p|^2), so that it does not depend on the scale of the features."""
    n = x.shape[0]
    mean_square = sum((x[p] - y[p]) @ (x[p] - y[p]) for p in range(n)) / n
    return _brute_mmd2(x, y) / mean_square


def _h(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """H = D D' for the per-prompt differences D = X - Y, as similarity._equality builds it."""
    return moments.gram(x - y, x - y)


# ---------------------------------------------------------------------------------------------
# gram
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dense", "csr_matrix", "csr_array", "mixed"])
def test_gram_equals_matrix_product(kind: str) -> None:
    rng = np.random.default_rng(0)
    x = sp.random(9, 7, density=0.4, format="csr", random_state=1).toarray() + 0.0
    y = rng.normal(size=(11, 7)) * (rng.random((11, 7)) < 0.5)
    expected = x @ y.T
    if kind == "csr_matrix":
        x_in, y_in = sp.csr_matrix(x), sp.csr_matrix(y)
    elif kind == "csr_array":
        x_in, y_in = sp.csr_array(x), sp.csr_array(y)
    elif kind == "mixed":
        x_in, y_in = x, sp.csr_matrix(y)
    else:
        x_in, y_in = x, y
    out = moments.gram(x_in, y_in)
    assert isinstance(out, np.ndarray)
    assert out.shape == (9, 11)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_gram_blocks_match_single_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Row blocks (GRAM_BLOCK) stitch together into the same matrix, dense and sparse."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(23, 6))
    y = rng.normal(size=(17, 6))
    whole = moments.gram(x, y)
    monkeypatch.setattr(moments, "GRAM_BLOCK", 5)
    np.testing.assert_allclose(moments.gram(x, y), whole, rtol=1e-12)
    np.testing.assert_allclose(moments.gram(sp.csr_matrix(x), sp.csr_matrix(y)), whole, rtol=1e-12)
    np.testing.assert_allclose(whole, x @ y.T, rtol=1e-12)


def test_gram_float32_dtype() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(8, 5))
    out = moments.gram(x, x, dtype=np.float32)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x @ x.T, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("sparse", [False, True])
def test_gram_with_centre_vector(sparse: bool) -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(10, 6)) * (rng.random((10, 6)) < 0.6)
    y = rng.normal(size=(8, 6)) * (rng.random((8, 6)) < 0.6)
    c = rng.normal(size=6)
    expected = (x - c) @ (y - c).T
    x_in, y_in = (sp.csr_matrix(x), sp.csr_matrix(y)) if sparse else (x, y)
    np.testing.assert_allclose(moments.gram(x_in, y_in, center=c), expected, rtol=1e-10, atol=1e-10)
    # A (1, d) row works as well as a flat vector.
    np.testing.assert_allclose(
        moments.gram(x_in, y_in, center=c[None, :]), expected, rtol=1e-10, atol=1e-10
    )


def _fold_background(folds: np.ndarray, p: int, q: int) -> np.ndarray:
    """The documented background for the pair (p, q): the prompts of the fold(s) holding neither."""
    if folds[p] == folds[q]:
        members = folds != folds[p]  # the other two folds
    else:
        (third,) = set(range(3)) - {folds[p], folds[q]}
        members = folds == third
    assert not members[p] and not members[q]
    return members


def _fold_centre_brute(matrices: list[np.ndarray], members: np.ndarray) -> tuple[np.ndarray, float]:
    """The centre c (mean over the background prompts of each model, then over the models) and
    the unbiased estimate of |mu|^2: mean over pairs of *different* background prompts r != t of
    z_r . z_t, where z_r is prompt r's row averaged over the models."""
    centre = np.mean([m[members].mean(axis=0) for m in matrices], axis=0)
    z = np.mean(matrices, axis=0)[members]
    pairs = [z[r] @ z[t] for r in range(len(z)) for t in range(len(z)) if r != t]
    return centre, float(np.mean(pairs))


@pytest.mark.parametrize("n", [12, 13])
@pytest.mark.parametrize("sparse", [False, True])
def test_fold_centre_brute_force(n: int, sparse: bool) -> None:
    rng = np.random.default_rng(n)
    d = 5
    dense = [rng.normal(loc=i, size=(n, d)) * (rng.random((n, d)) < 0.7) for i in range(3)]
    matrices = [sp.csr_matrix(m) for m in dense] if sparse else dense
    centre = moments.FoldCentre(matrices, np.random.default_rng(7))
    folds = centre.folds
    # Three folds of (nearly) equal size.
    assert sorted(np.bincount(folds, minlength=3).tolist()) == sorted(
        np.bincount(np.arange(n) % 3, minlength=3).tolist()
    )
    backgrounds = {}
    for p, q in itertools.product(range(n), range(n)):
        members = _fold_background(folds, p, q)
        key = tuple(members)
        if key not in backgrounds:
            backgrounds[key] = _fold_centre_brute(dense, members)
    assert len(backgrounds) == 6  # three single folds and three pairs of folds
    for a, b in [(0, 1), (1, 2), (0, 0), (2, 1)]:
        out = moments.gram(matrices[a], matrices[b], center=centre)
        x, y = dense[a], dense[b]
        expected = np.empty((n, n))
        for p, q in itertools.product(range(n), range(n)):
            c, c_squared = backgrounds[tuple(_fold_background(folds, p, q))]
            # (x_p - c).(y_q - c) with |c|^2 replaced by its unbiased U-statistic estimate.
            expected[p, q] = x[p] @ y[q] - x[p] @ c - c @ y[q] + c_squared
        np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10)


def test_fold_centre_is_deterministic_given_rng() -> None:
    rng = np.random.default_rng(0)
    matrices = [rng.normal(size=(15, 4)) for _ in range(2)]
    a = moments.FoldCentre(matrices, np.random.default_rng(11))
    b = moments.FoldCentre(matrices, np.random.default_rng(11))
    np.testing.assert_array_equal(a.folds, b.folds)
    np.testing.assert_array_equal(a.centres, b.centres)


MUS = [np.array([1.0, 0, 0, 0]), np.array([0.5, 0.5, 0, 0]), np.array([0, 0, 1.0, 0])]


def _centred_cross_means(reps: int, n: int, prompt_sd: float, seed: int) -> tuple[list, list]:
    """C_xy of models 0 and 1 (of 3), fold-centred and pooled-mean-centred, over repetitions.
    Model m's answer to prompt p: mu_m + (prompt effect, shared by models) + unit noise."""
    rng = np.random.default_rng(seed)
    d = MUS[0].size
    ones = np.ones((1, n))
    fold_values, pooled_values = [], []
    for _ in range(reps):
        prompt = prompt_sd * rng.normal(size=(n, d))
        matrices = [m + prompt + rng.normal(size=(n, d)) for m in MUS]
        centre = moments.FoldCentre(matrices, rng)
        g = moments.gram(matrices[0], matrices[1], center=centre)
        fold_values.append(moments.weighted_u_means(g, ones)[0])
        pooled = np.mean([m.mean(axis=0) for m in matrices], axis=0)
        g = moments.gram(matrices[0], matrices[1], center=pooled)
        pooled_values.append(moments.weighted_u_means(g, ones)[0])
    return fold_values, pooled_values


def _truth() -> float:
    mu = np.mean(MUS, axis=0)
    return float((MUS[0] - mu) @ (MUS[1] - mu))


def test_pooled_mean_centring_bias_as_documented() -> None:
    """The FoldCentre docstring's premise: centring on the pooled mean of the same answers biases
    C_xy downwards by d * (noise variance) / (models x prompts)."""
    reps, n, d = 400, 30, MUS[0].size
    _, pooled = _centred_cross_means(reps, n, 0.0, seed=2)
    expected = _truth() - d / (3 * n)
    assert abs(np.mean(pooled) - expected) < 4 * np.std(pooled) / np.sqrt(reps)


@pytest.mark.parametrize("prompt_sd", [0.0, 0.7])
def test_fold_centring_is_unbiased_for_centred_mean_product(prompt_sd: float) -> None:
    """The FoldCentre docstring: each centred product is unbiased for <mu_x - mu, mu_y - mu>
    (mu = mean over models), so C_xy on fold-centred features averages to that value. (With the
    plain |c|^2 term the mean was 0.16 and 0.32 against a truth of 0.056, +-0.01.)"""
    reps, n = 400, 30
    fold, _ = _centred_cross_means(reps, n, prompt_sd, seed=3)
    assert abs(np.mean(fold) - _truth()) < 4 * np.std(fold) / np.sqrt(reps)


def test_fold_centre_squares_is_the_pair_u_statistic() -> None:
    """squares[k] = (|sum_r z_r|^2 - sum_r |z_r|^2) / (s (s - 1)) over the s prompts of centre
    k's fold set; undefined (NaN) for a fold set of one prompt, where no pair exists."""
    rng = np.random.default_rng(12)
    for n in (4, 5, 6, 9):
        matrices = [rng.normal(loc=1.0, size=(n, 3)) for _ in range(2)]
        centre = moments.FoldCentre(matrices, rng)
        z = np.mean(matrices, axis=0)
        sets = [centre.folds == f for f in range(3)] + [centre.folds != f for f in range(3)]
        for k, members in enumerate(sets):
            rows = z[members]
            np.testing.assert_allclose(centre.centres[k], rows.mean(axis=0), rtol=1e-12)
            if len(rows) < 2:
                assert np.isnan(centre.squares[k])
                continue
            pairs = [rows[r] @ rows[t] for r in range(len(rows)) for t in range(len(rows)) if r != t]
            assert centre.squares[k] == pytest.approx(np.mean(pairs), rel=1e-12)
            assert centre.squares[k] != pytest.approx(centre.centres[k] @ centre.centres[k], rel=1e-6)
        # Six or more prompts: every fold holds at least two, so every centre is defined.
        assert np.all(np.isfinite(centre.squares)) == (n >= 6)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12), d=st.integers(1, 6),
       sparse=st.booleans())
@SETTINGS
def test_gram_of_x_with_itself_is_symmetric(seed: int, n: int, d: int, sparse: bool) -> None:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) * (rng.random((n, d)) < 0.6)
    x_in = sp.csr_matrix(x) if sparse else x
    g = moments.gram(x_in, x_in)
    np.testing.assert_allclose(g, g.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g, x @ x.T, rtol=1e-12, atol=1e-12)
    if n >= 3:
        centre = moments.FoldCentre([x_in, x_in * 2.0], rng)
        g = moments.gram(x_in, x_in, center=centre)
        np.testing.assert_allclose(g, g.T, rtol=1e-10, atol=1e-10)
        if n >= 6:  # below, a one-prompt fold leaves |mu|^2 undefined (NaN) for some pairs
            assert np.all(np.isfinite(g))


# ---------------------------------------------------------------------------------------------
# weighted_u_means
# ---------------------------------------------------------------------------------------------


def test_weighted_u_means_all_ones_is_off_diagonal_mean() -> None:
    rng = np.random.default_rng(0)
    g = rng.normal(size=(9, 9))
    assert moments.weighted_u_means(g, np.ones(9))[0] == pytest.approx(_brute_u_mean(g), rel=1e-12)
    # A 1-D weight vector and a (1, n) matrix agree.
    assert moments.weighted_u_means(g, np.ones((1, 9))).shape == (1,)


def _expanded_u_mean(g: np.ndarray, w: np.ndarray) -> float:
    """Brute force on the resampled multiset: every ordered pair of copies from different
    original prompts (pairs of copies of one prompt are excluded, as are self pairs)."""
    copies = [p for p, count in enumerate(w.astype(int)) for _ in range(count)]
    values = [g[copies[a], copies[b]] for a in range(len(copies)) for b in range(len(copies))
              if copies[a] != copies[b]]
    return float(np.mean(values)) if values else float("nan")


def test_weighted_u_means_bootstrap_weights_match_expanded_multiset() -> None:
    rng = np.random.default_rng(1)
    n = 8
    g = rng.normal(size=(n, n))
    weights = resampling.bootstrap_weights(n, 25, rng)
    out = moments.weighted_u_means(g, weights)
    expected = [_expanded_u_mean(g, w) for w in weights]
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-13)
    # Hand-picked weights, including a prompt drawn three times and prompts dropped.
    w = np.array([3, 0, 1, 0, 2, 0, 2, 0], dtype=float)
    assert moments.weighted_u_means(g, w)[0] == pytest.approx(_expanded_u_mean(g, w), rel=1e-12)


def test_weighted_u_means_formula() -> None:
    """C(w) = (w'Gw - sum w_p^2 G_pp) / ((sum w)^2 - sum w^2), the module docstring."""
    rng = np.random.default_rng(2)
    g = rng.normal(size=(6, 6))
    w = np.array([2.0, 1, 0, 3, 0, 0])
    expected = (w @ g @ w - np.sum(w**2 * np.diag(g))) / (w.sum() ** 2 - np.sum(w**2))
    assert moments.weighted_u_means(g, w)[0] == pytest.approx(expected, rel=1e-12)


def test_weighted_u_means_single_prompt_weight_is_nan() -> None:
    """All weight on one prompt leaves no pair of different prompts: NaN, not an error."""
    g = np.arange(16.0).reshape(4, 4)
    out = moments.weighted_u_means(g, np.array([[4.0, 0, 0, 0], [1, 1, 1, 1]]))
    assert np.isnan(out[0])
    assert out[1] == pytest.approx(_brute_u_mean(g))


def test_single_prompt_resample_is_nan() -> None:
    """No pair of different prompts is drawn, so C(w) is undefined (NaN) whatever G holds, even
    where (w @ g) . w and (w**2) @ diag round differently (numerator a hair off 0, not 0 / 0)."""
    g = np.full((3, 3), 0.5)
    g[1, 1] = 0.1  # (3 * 0.1) * 3 != 9 * 0.1 in floating point
    rng = np.random.default_rng(0)
    random_g = rng.normal(size=(6, 6))
    single = np.diag(np.full(6, 6.0))  # six resamples, each drawing one prompt six times
    assert np.isnan(moments.weighted_u_means(g, np.array([0.0, 3.0, 0.0]))[0])
    assert np.all(np.isnan(moments.weighted_u_means(random_g, single)))
    # Mixed into a block with ordinary resamples: only those rows are NaN, and no warning escapes.
    mixed = np.vstack([single[:2], np.ones(6), [2.0, 0, 0, 4, 0, 0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = moments.weighted_u_means(random_g, mixed)
    assert np.all(np.isnan(out[:2]))
    assert out[2] == pytest.approx(_brute_u_mean(random_g), rel=1e-12)
    assert out[3] == pytest.approx(_expanded_u_mean(random_g, mixed[3]), rel=1e-12)


@pytest.mark.parametrize("block", [1, 7, 256])
def test_weighted_u_means_rows_are_independent(block: int) -> None:
    rng = np.random.default_rng(3)
    n = 10
    g = rng.normal(size=(n, n))
    weights = resampling.bootstrap_weights(n, 300, rng)  # > 256: crosses the default block
    together = moments.weighted_u_means(g, weights, block=block)
    one_by_one = np.array([moments.weighted_u_means(g, w)[0] for w in weights])
    np.testing.assert_allclose(together, one_by_one, rtol=1e-12)
    # Reversing the rows reverses the output.
    np.testing.assert_allclose(moments.weighted_u_means(g, weights[::-1], block=block),
                               together[::-1], rtol=1e-12)


def test_weighted_u_means_float32_gram() -> None:
    rng = np.random.default_rng(4)
    g = rng.normal(size=(12, 12))
    weights = resampling.bootstrap_weights(12, 20, rng)
    out32 = moments.weighted_u_means(g.astype(np.float32), weights)
    out64 = moments.weighted_u_means(g, weights)
    assert out32.dtype == np.float64
    np.testing.assert_allclose(out32, out64, rtol=1e-4, atol=1e-5)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 15), resamples=st.integers(1, 6))
@SETTINGS
def test_weighted_u_means_invariant_to_prompt_permutation(seed: int, n: int, resamples: int) -> None:
    rng = np.random.default_rng(seed)
    g = rng.normal(size=(n, n)) * rng.exponential(5.0)
    weights = np.vstack([np.ones(n), resampling.bootstrap_weights(n, resamples, rng)])
    perm = rng.permutation(n)
    before = moments.weighted_u_means(g, weights)
    after = moments.weighted_u_means(g[np.ix_(perm, perm)], weights[:, perm])
    scale = np.abs(g).max()
    np.testing.assert_allclose(after, before, rtol=1e-9, atol=1e-12 * scale)


# ---------------------------------------------------------------------------------------------
# linearised_u_means (the large-n bootstrap)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("centred", [False, True])
def test_linearised_u_means_is_exact_at_unit_weights(sparse: bool, centred: bool) -> None:
    rng = np.random.default_rng(0)
    n, d = 14, 5
    x = rng.normal(loc=0.5, size=(n, d)) * (rng.random((n, d)) < 0.7)
    y = rng.normal(loc=0.2, size=(n, d)) * (rng.random((n, d)) < 0.7)
    c = rng.normal(size=d) if centred else None
    exact = moments.weighted_u_means(moments.gram(x, y, center=c), np.ones(n))[0]
    x_in, y_in = (sp.csr_matrix(x), sp.csr_matrix(y)) if sparse else (x, y)
    got = moments.linearised_u_means(x_in, y_in, np.ones((1, n)), center=c)
    assert got.shape == (1,)
    assert got[0] == pytest.approx(exact, rel=1e-10)


def test_linearised_u_means_is_the_first_order_expansion() -> None:
    """For w = 1 + t * delta (sum delta = 0, as for multinomial counts), the linearised value and
    the exact C(w) share the value and the derivative at t = 0: they differ by O(t^2)."""
    rng = np.random.default_rng(1)
    n, d = 12, 4
    x = rng.normal(loc=0.5, size=(n, d))
    y = rng.normal(loc=-0.3, size=(n, d))
    g = moments.gram(x, y)
    delta = rng.normal(size=n)
    delta -= delta.mean()
    errors = []
    for t in (1e-2, 1e-3):
        w = (1.0 + t * delta)[None, :]
        errors.append(abs(moments.linearised_u_means(x, y, w)[0] - moments.weighted_u_means(g, w)[0]))
    base = moments.weighted_u_means(g, np.ones(n))[0]
    slope = (moments.weighted_u_means(g, (1.0 + 1e-6 * delta)[None, :])[0] - base) / 1e-6
    assert abs(slope) > 1e-3  # a non-trivial direction
    # Quadratic error: ten times smaller t, about a hundred times smaller error.
    assert errors[1] < errors[0] / 50
    assert errors[0] < 1e-2 * abs(slope) * 1e-2


# ---------------------------------------------------------------------------------------------
# sign_flip_statistics
# ---------------------------------------------------------------------------------------------


def test_sign_flip_statistic_all_ones_is_normalised_unbiased_mmd2() -> None:
    rng = np.random.default_rng(0)
    n, d = 9, 4
    x = rng.normal(size=(n, d))
    y = rng.normal(loc=0.3, size=(n, d))
    h = _h(x, y)
    observed = moments.sign_flip_statistics(h, np.ones(n))[0]
    assert observed == pytest.approx(_brute_statistic(x, y), rel=1e-10)
    # The unnormalised U-statistic (s'Hs - tr H) / (n(n-1)), rescaled by n / tr H.
    assert observed == pytest.approx(_brute_mmd2(x, y) * n / np.trace(h), rel=1e-10)
    # Linear kernel: (|sum d|^2 - sum |d|^2) / ((n - 1) sum |d|^2).
    diff = x - y
    closed = (np.sum(diff.sum(axis=0) ** 2) - np.sum(diff**2)) / ((n - 1) * np.sum(diff**2))
    assert observed == pytest.approx(closed, rel=1e-10)
    # H from the four Gram matrices G_xx + G_yy - G_xy - G_yx is the same matrix up to rounding.
    h4 = moments.gram(x, x) + moments.gram(y, y) - moments.gram(x, y) - moments.gram(y, x)
    assert moments.sign_flip_statistics(h4, np.ones(n))[0] == pytest.approx(observed, rel=1e-9)


def test_sign_flip_statistic_equals_mmd2_after_swapping_answers() -> None:
    """Row s of the output is the normalised MMD^2 after swapping A's and B's answers where
    s_p = -1 (swapping leaves |d_p|^2, hence the normalisation, unchanged)."""
    rng = np.random.default_rng(1)
    n, d = 7, 3
    x = rng.normal(size=(n, d))
    y = rng.normal(size=(n, d)) + 0.5
    signs = resampling.sign_flips(n, 20, rng)
    out = moments.sign_flip_statistics(_h(x, y), signs)
    assert len(set(np.round(out, 12))) > 5  # the rows do differ
    for s, value in zip(signs, out):
        swap = s < 0
        xs = np.where(swap[:, None], y, x)
        ys = np.where(swap[:, None], x, y)
        assert value == pytest.approx(_brute_statistic(xs, ys), rel=1e-9, abs=1e-12)


def test_sign_flip_statistic_zero_trace_gives_zeros() -> None:
    """tr H <= 0 (A and B answer every prompt identically, or a non-PSD H): all zeros, no
    warning, rather than 0 / 0."""
    n = 5
    signs = np.vstack([np.ones(n), resampling.sign_flips(n, 10, np.random.default_rng(0))])
    x = np.random.default_rng(1).normal(size=(n, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for h in (np.zeros((n, n)), _h(x, x), -np.eye(n), np.ones((n, n)) - np.eye(n)):
            out = moments.sign_flip_statistics(h, signs)
            assert out.shape == (signs.shape[0],)
            np.testing.assert_array_equal(out, 0.0)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12), d=st.integers(1, 6),
       log_scale=st.integers(-8, 8))
@SETTINGS
def test_sign_flip_statistic_is_bounded_and_scale_free(seed: int, n: int, d: int, log_scale: int) -> None:
    """s'Hs = |sum_p s_p d_p|^2 lies in [0, n tr H], so T lies in [-1/(n-1), 1], whatever the
    scale of the features; scaling the features by c leaves T unchanged."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    y = rng.normal(loc=rng.normal(), size=(n, d))
    signs = np.vstack([np.ones(n), resampling.sign_flips(n, 20, rng)])
    out = moments.sign_flip_statistics(_h(x, y), signs)
    assert np.all(out >= -1 / (n - 1) - 1e-12) and np.all(out <= 1 + 1e-12)
    scale = 10.0**log_scale
    scaled = moments.sign_flip_statistics(_h(x * scale, y * scale), signs)
    np.testing.assert_allclose(scaled, out, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("block", [1, 5, 256])
def test_sign_flip_statistic_blocks(block: int) -> None:
    rng = np.random.default_rng(2)
    n = 6
    x, y = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    h = _h(x, y)
    signs = resampling.sign_flips(n, 300, rng)
    together = moments.sign_flip_statistics(h, signs, block=block)
    one_by_one = [moments.sign_flip_statistics(h, s)[0] for s in signs]
    np.testing.assert_allclose(together, one_by_one, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("n", [6, 8])
def test_exact_enumeration_pvalue(n: int) -> None:
    """All 2^n sign vectors give the exact permutation distribution. Since it contains the
    identity (all +1), the exact p-value is #{T* >= T} / 2^n; permutation_pvalue applied to the
    full enumeration returns (1 + #{T* >= T}) / (2^n + 1) (the identity counted twice: once as
    the '+1', once among the 2^n)."""
    rng = np.random.default_rng(n)
    x = rng.normal(size=(n, 3))
    y = rng.normal(size=(n, 3)) + 0.4
    h = _h(x, y)
    flips = resampling.all_sign_flips(n)
    null = moments.sign_flip_statistics(h, flips)
    observed = moments.sign_flip_statistics(h, np.ones(n))[0]
    # Brute force: for every subset of prompts, swap the answers and recompute the statistic.
    brute = []
    for swap in itertools.product([False, True], repeat=n):
        swap = np.array(swap)
        brute.append(_brute_statistic(np.where(swap[:, None], y, x), np.where(swap[:, None], x, y)))
    brute = np.array(brute)
    np.testing.assert_allclose(np.sort(null), np.sort(brute), rtol=1e-9, atol=1e-12)
    count = int(np.sum(brute >= observed - 1e-12))
    assert count >= 2  # the identity and its mirror image (all -1) give the same statistic
    exact = count / 2**n
    p = resampling.permutation_pvalue(observed, null)
    assert p == pytest.approx((1 + count) / (2**n + 1), rel=1e-12)
    assert p == pytest.approx((1 + 2**n * exact) / (2**n + 1), rel=1e-12)
    assert 0 < p <= 1
    assert abs(p - exact) <= 1 / (2**n + 1)


def test_sign_flip_statistic_is_invariant_to_global_flip() -> None:
    rng = np.random.default_rng(5)
    h = _h(rng.normal(size=(8, 3)), rng.normal(size=(8, 3)))
    signs = resampling.sign_flips(8, 50, rng)
    np.testing.assert_allclose(moments.sign_flip_statistics(h, signs),
                               moments.sign_flip_statistics(h, -signs), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------------
# paired_cosines
# ---------------------------------------------------------------------------------------------


def test_paired_cosines() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 4))
    y = rng.normal(size=(6, 4))
    y[2] = 3 * x[2]
    y[3] = -x[3]
    y[4] = 0.0
    out = moments.paired_cosines(moments.gram(x, y), moments.gram(x, x), moments.gram(y, y))
    with np.errstate(invalid="ignore"):
        expected = np.sum(x * y, axis=1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    np.testing.assert_allclose(out[[0, 1, 5]], expected[[0, 1, 5]], rtol=1e-12)
    assert out[2] == pytest.approx(1.0)
    assert out[3] == pytest.approx(-1.0)
    assert np.isnan(out[4])  # 0 / 0 for an all-zero answer, without a warning escaping


def test_prompt_grams_equal_row_dots_for_sparse_and_dense() -> None:
    """All pairs' per-prompt products from one k x k product per prompt equal the row-wise
    products pair by pair, for sparse features (with empty rows) and dense ones (across blocks)."""
    import scipy.sparse as sp

    from stylesim.stats.moments import prompt_grams, row_dots

    rng = np.random.default_rng(11)
    sparse = [sp.random(70, 300, density=0.05, format="csr", random_state=seed, dtype=np.float32)
              for seed in range(5)]
    sparse[2] = sp.csr_matrix(sparse[2].multiply(rng.random((70, 1)) > 0.2))  # some empty answers
    dense = [rng.normal(size=(70, 9)) for _ in range(4)]
    for matrices in (sparse, dense):
        grams = prompt_grams(matrices, block=16)
        assert grams.shape == (len(matrices), len(matrices), 70)
        for i, x in enumerate(matrices):
            for j, y in enumerate(matrices):
                # row_dots rounds float32 products before adding them; prompt_grams multiplies in float64.
                np.testing.assert_allclose(grams[i, j], row_dots(x, y), rtol=1e-6, atol=1e-9)


def test_row_dots_of_a_sparse_matrix_with_itself_are_squared_row_norms() -> None:
    rng = np.random.default_rng(4)
    dense = rng.normal(size=(7, 5)) * (rng.random((7, 5)) < 0.5)
    dense[3] = 0.0  # an empty row
    x = sp.csr_matrix(dense, dtype=np.float32)
    np.testing.assert_allclose(moments.row_dots(x, x), np.einsum("pd,pd->p", dense, dense), rtol=1e-6)
    # Duplicate entries of one (row, column) are summed before squaring, as a product would.
    duplicated = sp.csr_matrix((np.array([1.0, 2.0, 3.0]), np.array([0, 0, 1]), np.array([0, 3, 3])), shape=(2, 2))
    assert not duplicated.has_canonical_format
    np.testing.assert_allclose(moments.row_dots(duplicated, duplicated), [9.0 + 9.0, 0.0])
    assert duplicated.data.tolist() == [1.0, 2.0, 3.0]  # the input is left as it was


def test_symmetric_sparse_gram_matches_the_general_product() -> None:
    rng = np.random.default_rng(7)
    dense = rng.random((60, 400)) * (rng.random((60, 400)) < 0.3)
    dense[:, :20] = rng.random((60, 20))  # columns every row shares: the dense BLAS part
    x = sp.csr_matrix(dense, dtype=np.float32)
    general = moments.gram(x, x)
    fast = moments.gram(x, x, symmetric=True)
    np.testing.assert_allclose(fast, dense.astype(np.float32).astype(float) @ dense.astype(np.float32).astype(float).T,
                               rtol=1e-5)
    np.testing.assert_allclose(fast, general, rtol=1e-5)
    # Without the flag, x x' is the general product: the same numbers as x y' for an identical copy.
    np.testing.assert_array_equal(general, moments.gram(x, x.copy()))
