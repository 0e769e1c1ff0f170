;; The hot loops of training, in 128-bit WebAssembly SIMD, for Python in the
;; browser, whose NumPy has no BLAS and no SIMD (mlp/kernel.py calls them).
;;
;; The module is a shared library of Pyodide's kind: it has no memory of its
;; own but imports Pyodide's ("env" "memory"), and build.py adds the
;; "dylink.0" section that Emscripten's loader reads. Python opens it with
;; ctypes.CDLL and passes the addresses of NumPy's own arrays, so nothing is
;; copied. Every function is a leaf: no stack, no globals, no table.
;;
;; matmul          C = A @ B (eq. 1.3.0, 2.4.1, 2.4.2), A possibly read transposed
;; bias_relu       z += b, then a = max(z, 0) (eq. 1.3.0-1.3.1 with ReLU)
;; relu_backward   delta *= (z > 0) (eq. 2.3.4-2.3.5)
;; adam            one Adam step on a parameter array (mlp.optimizers.Adam)
;;
;; each in float64 and, with the suffix _f32, in float32 (the "precision"
;; setting), where a vector holds four numbers instead of two.
;;
;; The element-wise functions do NumPy's operations in NumPy's order, so their
;; results are NumPy's to the bit; matmul adds each sum in the order of a plain
;; loop, as Pyodide's np.dot does.
;;
;; matmul: A is m x k, B is k x n, C is m x n. B and C are stored row after
;; row. A may be read transposed: its element (i, p) is at
;; a + 8 * (i * a_row_step + p * a_col_step), so a.T @ delta (eq. 2.4.2) needs
;; no transposed copy of a.
;;
;; C is cut into tiles. The main one is 2 rows x 8 columns: its sixteen sums
;; stay in eight f64x2 registers while p runs over the k products,
;;
;;     C[i:i+2, j:j+8] = sum over p of A[i:i+2, p] * B[p, j:j+8],
;;
;; so each step loads two numbers of A and four vectors of B for sixteen
;; multiply-adds, and C is written once. The columns left over take 2x2 tiles,
;; then 2x1 (still two rows, so two sums advance at once: a single running sum
;; waits on its own additions), and a last odd row takes tiles of one row.
;;
;; build.py also assembles this file with the main tiles' multiply-adds fused
;; (kernel_fma.wasm, for engines with relaxed SIMD): it rewrites each
;; (f64x2.add (local.get $c) (f64x2.mul (local.get $s) (local.get $v))) as
;; (f64x2.relaxed_madd (local.get $s) (local.get $v) (local.get $c)), and the
;; f32x4 ones of matmul_f32 likewise, so they keep exactly that form. Fused,
;; a sum is rounded once per step instead of twice: not np.dot's bits, but
;; within 1e-12 of the result's scale, and faster where the CPU has FMA.
(module
  (import "env" "memory" (memory 0))

  ;; C[i:i+2, j:j+8], given the byte offsets of A[i, 0], B[0, j] and C[i, j].
  (func $tile_2x8
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (local $p i32) (local $s v128) (local $t v128) (local $v v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)  ;; row i
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)  ;; row i + 1
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $s (f64x2.splat (f64.load (local.get $a_at))))
        (local.set $t (f64x2.splat (f64.load (i32.add (local.get $a_at) (local.get $a_row_bytes)))))
        (local.set $v (v128.load offset=0 (local.get $b_at)))
        (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $s) (local.get $v))))
        (local.set $d0 (f64x2.add (local.get $d0) (f64x2.mul (local.get $t) (local.get $v))))
        (local.set $v (v128.load offset=16 (local.get $b_at)))
        (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $s) (local.get $v))))
        (local.set $d1 (f64x2.add (local.get $d1) (f64x2.mul (local.get $t) (local.get $v))))
        (local.set $v (v128.load offset=32 (local.get $b_at)))
        (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $s) (local.get $v))))
        (local.set $d2 (f64x2.add (local.get $d2) (f64x2.mul (local.get $t) (local.get $v))))
        (local.set $v (v128.load offset=48 (local.get $b_at)))
        (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $s) (local.get $v))))
        (local.set $d3 (f64x2.add (local.get $d3) (f64x2.mul (local.get $t) (local.get $v))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store offset=0 (local.get $c_at) (local.get $c0))
    (v128.store offset=16 (local.get $c_at) (local.get $c1))
    (v128.store offset=32 (local.get $c_at) (local.get $c2))
    (v128.store offset=48 (local.get $c_at) (local.get $c3))
    (local.set $c_at (i32.add (local.get $c_at) (local.get $row_bytes)))
    (v128.store offset=0 (local.get $c_at) (local.get $d0))
    (v128.store offset=16 (local.get $c_at) (local.get $d1))
    (v128.store offset=32 (local.get $c_at) (local.get $d2))
    (v128.store offset=48 (local.get $c_at) (local.get $d3)))

  ;; C[i:i+2, j:j+2]: the columns that 8-wide tiles leave, two rows at once, so
  ;; that two independent sums are in flight rather than one.
  (func $tile_2x2
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (local $p i32) (local $v v128) (local $c0 v128) (local $d0 v128)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $v (v128.load (local.get $b_at)))
        (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (f64x2.splat (f64.load (local.get $a_at))) (local.get $v))))
        (local.set $d0 (f64x2.add (local.get $d0)
          (f64x2.mul (f64x2.splat (f64.load (i32.add (local.get $a_at) (local.get $a_row_bytes)))) (local.get $v))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store (local.get $c_at) (local.get $c0))
    (v128.store (i32.add (local.get $c_at) (local.get $row_bytes)) (local.get $d0)))

  ;; C[i:i+2, j]: the last column when n is odd, two rows at once.
  (func $tile_2x1
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (local $p i32) (local $x f64) (local $c0 f64) (local $d0 f64)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x (f64.load (local.get $b_at)))
        (local.set $c0 (f64.add (local.get $c0) (f64.mul (f64.load (local.get $a_at)) (local.get $x))))
        (local.set $d0 (f64.add (local.get $d0)
          (f64.mul (f64.load (i32.add (local.get $a_at) (local.get $a_row_bytes))) (local.get $x))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (f64.store (local.get $c_at) (local.get $c0))
    (f64.store (i32.add (local.get $c_at) (local.get $row_bytes)) (local.get $d0)))

  ;; Rows i and i + 1 from column j on, after their 8-wide tiles: 2x2 tiles, then 2x1.
  (func $pair_tail
    (param $a_at i32) (param $b i32) (param $c_row i32) (param $j i32) (param $k i32) (param $n i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (block $done
      (loop $twos
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (call $tile_2x2 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 3))) (local.get $k)
          (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $twos)))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (call $tile_2x1 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 3))) (local.get $k)
          (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes)))))

  ;; C[i, j:j+8]: the same, one row.
  (func $tile_1x8
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $row_bytes i32)
    (local $p i32) (local $s v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $s (f64x2.splat (f64.load (local.get $a_at))))
        (local.set $c0 (f64x2.add (local.get $c0) (f64x2.mul (local.get $s) (v128.load offset=0 (local.get $b_at)))))
        (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $s) (v128.load offset=16 (local.get $b_at)))))
        (local.set $c2 (f64x2.add (local.get $c2) (f64x2.mul (local.get $s) (v128.load offset=32 (local.get $b_at)))))
        (local.set $c3 (f64x2.add (local.get $c3) (f64x2.mul (local.get $s) (v128.load offset=48 (local.get $b_at)))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store offset=0 (local.get $c_at) (local.get $c0))
    (v128.store offset=16 (local.get $c_at) (local.get $c1))
    (v128.store offset=32 (local.get $c_at) (local.get $c2))
    (v128.store offset=48 (local.get $c_at) (local.get $c3)))

  ;; C[i, j:j+2].
  (func $tile_1x2
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $row_bytes i32)
    (local $p i32) (local $c0 v128)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $c0 (f64x2.add (local.get $c0)
          (f64x2.mul (f64x2.splat (f64.load (local.get $a_at))) (v128.load (local.get $b_at)))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store (local.get $c_at) (local.get $c0)))

  ;; C[i, j].
  (func $tile_1x1
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $row_bytes i32)
    (local $p i32) (local $sum f64)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (f64.load (local.get $a_at)) (f64.load (local.get $b_at)))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (f64.store (local.get $c_at) (local.get $sum)))

  ;; One row of C from column j on, with the tiles of one row.
  (func $row_from
    (param $a_at i32) (param $b i32) (param $c_row i32) (param $j i32) (param $k i32) (param $n i32)
    (param $a_step i32) (param $row_bytes i32)
    (block $done
      (loop $eights
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
        (call $tile_1x8 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $a_step) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $eights)))
    (call $row_tail (local.get $a_at) (local.get $b) (local.get $c_row) (local.get $j) (local.get $k) (local.get $n)
      (local.get $a_step) (local.get $row_bytes)))

  ;; The columns of one row that 8-wide tiles leave: two at a time, then one.
  (func $row_tail
    (param $a_at i32) (param $b i32) (param $c_row i32) (param $j i32) (param $k i32) (param $n i32)
    (param $a_step i32) (param $row_bytes i32)
    (block $done
      (loop $twos
        (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n)))
        (call $tile_1x2 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $a_step) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $twos)))
    (if (i32.lt_u (local.get $j) (local.get $n))
      (then
        (call $tile_1x1 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $a_step) (local.get $row_bytes)))))

  (func (export "matmul")
    (param $a i32) (param $b i32) (param $c i32)
    (param $m i32) (param $k i32) (param $n i32)
    (param $a_row_step i32) (param $a_col_step i32)
    (local $i i32) (local $j i32)
    (local $a_at i32)        ;; byte offset of A[i, 0]
    (local $c_row i32)       ;; byte offset of C[i, 0]
    (local $a_row_bytes i32) ;; bytes from A[i, p] to A[i + 1, p]
    (local $a_step i32)      ;; bytes from A[i, p] to A[i, p + 1]
    (local $row_bytes i32)   ;; bytes in one row of B or C: n * 8
    (local.set $a_row_bytes (i32.shl (local.get $a_row_step) (i32.const 3)))
    (local.set $a_step (i32.shl (local.get $a_col_step) (i32.const 3)))
    (local.set $row_bytes (i32.shl (local.get $n) (i32.const 3)))
    (local.set $a_at (local.get $a))
    (local.set $c_row (local.get $c))
    ;; Two rows at a time: 2x8 tiles, then each row's tail.
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $eights_done
          (loop $eights
            (br_if $eights_done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
            (call $tile_2x8 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3)))
              (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 3))) (local.get $k)
              (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $eights)))
        (call $pair_tail (local.get $a_at) (local.get $b) (local.get $c_row) (local.get $j) (local.get $k) (local.get $n)
          (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes))
        (local.set $a_at (i32.add (local.get $a_at) (i32.shl (local.get $a_row_bytes) (i32.const 1))))
        (local.set $c_row (i32.add (local.get $c_row) (i32.shl (local.get $row_bytes) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; The last row, when m is odd.
    (if (i32.lt_u (local.get $i) (local.get $m))
      (then
        (call $row_from (local.get $a_at) (local.get $b) (local.get $c_row) (i32.const 0) (local.get $k) (local.get $n)
          (local.get $a_step) (local.get $row_bytes)))))

  ;; z[i, j] += b[j], then a[i, j] = max(z[i, j], 0) as np.maximum(z, 0.0)
  ;; gives it: pmax keeps z when z is not below 0, so NaN and -0.0 pass as in NumPy.
  (func (export "bias_relu")
    (param $z i32) (param $b i32) (param $a i32) (param $m i32) (param $n i32)
    (local $row_end i32) (local $z_end i32) (local $j i32) (local $v v128)
    (local.set $z_end (i32.add (local.get $z) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 3))))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $z) (local.get $z_end)))
        (local.set $row_end (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 3))))
        (local.set $j (local.get $b))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.gt_u (i32.add (local.get $z) (i32.const 16)) (local.get $row_end)))
            (local.set $v (f64x2.add (v128.load (local.get $z)) (v128.load (local.get $j))))
            (v128.store (local.get $z) (local.get $v))
            (v128.store (local.get $a) (f64x2.pmax (local.get $v) (f64x2.splat (f64.const 0))))
            (local.set $z (i32.add (local.get $z) (i32.const 16)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $pairs)))
        (if (i32.lt_u (local.get $z) (local.get $row_end))
          (then
            (f64.store (local.get $z) (f64.add (f64.load (local.get $z)) (f64.load (local.get $j))))
            (f64.store (local.get $a)
              (f64x2.extract_lane 0 (f64x2.pmax (f64x2.splat (f64.load (local.get $z))) (f64x2.splat (f64.const 0)))))
            (local.set $z (i32.add (local.get $z) (i32.const 8)))
            (local.set $a (i32.add (local.get $a) (i32.const 8)))))
        (br $rows))))

  ;; delta[i] *= (z[i] > 0), as np.multiply(delta, z > 0) does: a product with
  ;; 1.0 or 0.0, so NaN stays NaN and a negative delta times 0 gives -0.0.
  (func (export "relu_backward")
    (param $delta i32) (param $z i32) (param $count i32)
    (local $end i32) (local $ones v128)
    (local.set $ones (f64x2.splat (f64.const 1)))
    (local.set $end (i32.add (local.get $delta) (i32.shl (local.get $count) (i32.const 3))))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_u (i32.add (local.get $delta) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $delta)
          (f64x2.mul (v128.load (local.get $delta))
            (v128.and (f64x2.gt (v128.load (local.get $z)) (f64x2.splat (f64.const 0))) (local.get $ones))))
        (local.set $delta (i32.add (local.get $delta) (i32.const 16)))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $delta) (local.get $end))
      (then
        (f64.store (local.get $delta)
          (f64.mul (f64.load (local.get $delta))
            (select (f64.const 1) (f64.const 0) (f64.gt (f64.load (local.get $z)) (f64.const 0))))))))

  ;; One Adam step on count parameters, as mlp.optimizers.Adam does it with NumPy:
  ;;   m = m * beta_1 + g * one_minus_beta_1
  ;;   v = v * beta_2 + (g * g) * one_minus_beta_2
  ;;   p = p - (m / (sqrt(v) + epsilon)) * step
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $count i32)
    (param $beta_1 f64) (param $one_minus_beta_1 f64) (param $beta_2 f64) (param $one_minus_beta_2 f64)
    (param $epsilon f64) (param $step f64)
    (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1 v128) (local $c1 v128) (local $b2 v128) (local $c2 v128) (local $eps v128) (local $s v128)
    (local.set $b1 (f64x2.splat (local.get $beta_1)))
    (local.set $c1 (f64x2.splat (local.get $one_minus_beta_1)))
    (local.set $b2 (f64x2.splat (local.get $beta_2)))
    (local.set $c2 (f64x2.splat (local.get $one_minus_beta_2)))
    (local.set $eps (f64x2.splat (local.get $epsilon)))
    (local.set $s (f64x2.splat (local.get $step)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 3))))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $gv (v128.load (local.get $g)))
        (local.set $mv (f64x2.add (f64x2.mul (v128.load (local.get $m)) (local.get $b1)) (f64x2.mul (local.get $gv) (local.get $c1))))
        (local.set $vv (f64x2.add (f64x2.mul (v128.load (local.get $v)) (local.get $b2))
          (f64x2.mul (f64x2.mul (local.get $gv) (local.get $gv)) (local.get $c2))))
        (v128.store (local.get $m) (local.get $mv))
        (v128.store (local.get $v) (local.get $vv))
        (v128.store (local.get $p)
          (f64x2.sub (v128.load (local.get $p))
            (f64x2.mul (f64x2.div (local.get $mv) (f64x2.add (f64x2.sqrt (local.get $vv)) (local.get $eps))) (local.get $s))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (local.set $gv (f64x2.splat (f64.load (local.get $g))))
        (local.set $mv (f64x2.add (f64x2.mul (f64x2.splat (f64.load (local.get $m))) (local.get $b1)) (f64x2.mul (local.get $gv) (local.get $c1))))
        (local.set $vv (f64x2.add (f64x2.mul (f64x2.splat (f64.load (local.get $v))) (local.get $b2))
          (f64x2.mul (f64x2.mul (local.get $gv) (local.get $gv)) (local.get $c2))))
        (f64.store (local.get $m) (f64x2.extract_lane 0 (local.get $mv)))
        (f64.store (local.get $v) (f64x2.extract_lane 0 (local.get $vv)))
        (f64.store (local.get $p)
          (f64.sub (f64.load (local.get $p))
            (f64x2.extract_lane 0
              (f64x2.mul (f64x2.div (local.get $mv) (f64x2.add (f64x2.sqrt (local.get $vv)) (local.get $eps))) (local.get $s))))))))

  ;; ---- float32: the same functions with four lanes per vector ----
  ;;
  ;; matmul_f32 has matmul's structure with every width doubled: tiles of 2 rows
  ;; x 16 columns (eight f32x4 sums), then 2x4, then 2x1, and one-row tiles for
  ;; a last odd row. Elements are 4 bytes.

  ;; C[i:i+2, j:j+16].
  (func $tile_2x16_f32
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (local $p i32) (local $s v128) (local $t v128) (local $v v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)  ;; row i
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)  ;; row i + 1
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $s (f32x4.splat (f32.load (local.get $a_at))))
        (local.set $t (f32x4.splat (f32.load (i32.add (local.get $a_at) (local.get $a_row_bytes)))))
        (local.set $v (v128.load offset=0 (local.get $b_at)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (local.get $v))))
        (local.set $d0 (f32x4.add (local.get $d0) (f32x4.mul (local.get $t) (local.get $v))))
        (local.set $v (v128.load offset=16 (local.get $b_at)))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (local.get $v))))
        (local.set $d1 (f32x4.add (local.get $d1) (f32x4.mul (local.get $t) (local.get $v))))
        (local.set $v (v128.load offset=32 (local.get $b_at)))
        (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (local.get $v))))
        (local.set $d2 (f32x4.add (local.get $d2) (f32x4.mul (local.get $t) (local.get $v))))
        (local.set $v (v128.load offset=48 (local.get $b_at)))
        (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (local.get $v))))
        (local.set $d3 (f32x4.add (local.get $d3) (f32x4.mul (local.get $t) (local.get $v))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store offset=0 (local.get $c_at) (local.get $c0))
    (v128.store offset=16 (local.get $c_at) (local.get $c1))
    (v128.store offset=32 (local.get $c_at) (local.get $c2))
    (v128.store offset=48 (local.get $c_at) (local.get $c3))
    (local.set $c_at (i32.add (local.get $c_at) (local.get $row_bytes)))
    (v128.store offset=0 (local.get $c_at) (local.get $d0))
    (v128.store offset=16 (local.get $c_at) (local.get $d1))
    (v128.store offset=32 (local.get $c_at) (local.get $d2))
    (v128.store offset=48 (local.get $c_at) (local.get $d3)))

  ;; C[i:i+2, j:j+4].
  (func $tile_2x4_f32
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (local $p i32) (local $v v128) (local $c0 v128) (local $d0 v128)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $v (v128.load (local.get $b_at)))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (f32x4.splat (f32.load (local.get $a_at))) (local.get $v))))
        (local.set $d0 (f32x4.add (local.get $d0)
          (f32x4.mul (f32x4.splat (f32.load (i32.add (local.get $a_at) (local.get $a_row_bytes)))) (local.get $v))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store (local.get $c_at) (local.get $c0))
    (v128.store (i32.add (local.get $c_at) (local.get $row_bytes)) (local.get $d0)))

  ;; C[i:i+2, j].
  (func $tile_2x1_f32
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (local $p i32) (local $x f32) (local $c0 f32) (local $d0 f32)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $x (f32.load (local.get $b_at)))
        (local.set $c0 (f32.add (local.get $c0) (f32.mul (f32.load (local.get $a_at)) (local.get $x))))
        (local.set $d0 (f32.add (local.get $d0)
          (f32.mul (f32.load (i32.add (local.get $a_at) (local.get $a_row_bytes))) (local.get $x))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (f32.store (local.get $c_at) (local.get $c0))
    (f32.store (i32.add (local.get $c_at) (local.get $row_bytes)) (local.get $d0)))

  ;; C[i, j:j+16].
  (func $tile_1x16_f32
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $row_bytes i32)
    (local $p i32) (local $s v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $s (f32x4.splat (f32.load (local.get $a_at))))
        (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $b_at)))))
        (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $b_at)))))
        (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $b_at)))))
        (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $b_at)))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store offset=0 (local.get $c_at) (local.get $c0))
    (v128.store offset=16 (local.get $c_at) (local.get $c1))
    (v128.store offset=32 (local.get $c_at) (local.get $c2))
    (v128.store offset=48 (local.get $c_at) (local.get $c3)))

  ;; C[i, j:j+4].
  (func $tile_1x4_f32
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $row_bytes i32)
    (local $p i32) (local $c0 v128)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $c0 (f32x4.add (local.get $c0)
          (f32x4.mul (f32x4.splat (f32.load (local.get $a_at))) (v128.load (local.get $b_at)))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (v128.store (local.get $c_at) (local.get $c0)))

  ;; C[i, j].
  (func $tile_1x1_f32
    (param $a_at i32) (param $b_at i32) (param $c_at i32) (param $k i32)
    (param $a_step i32) (param $row_bytes i32)
    (local $p i32) (local $sum f32)
    (block $done
      (loop $products
        (br_if $done (i32.ge_u (local.get $p) (local.get $k)))
        (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a_at)) (f32.load (local.get $b_at)))))
        (local.set $a_at (i32.add (local.get $a_at) (local.get $a_step)))
        (local.set $b_at (i32.add (local.get $b_at) (local.get $row_bytes)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $products)))
    (f32.store (local.get $c_at) (local.get $sum)))

  ;; Rows i and i + 1 from column j on: 2x16 tiles, then 2x4, then 2x1.
  (func $pair_f32
    (param $a_at i32) (param $b i32) (param $c_row i32) (param $k i32) (param $n i32)
    (param $a_step i32) (param $a_row_bytes i32) (param $row_bytes i32)
    (local $j i32)
    (block $sixteens_done
      (loop $sixteens
        (br_if $sixteens_done (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $n)))
        (call $tile_2x16_f32 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 2))) (local.get $k)
          (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $sixteens)))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (call $tile_2x4_f32 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 2))) (local.get $k)
          (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $fours)))
    (block $ones_done
      (loop $ones
        (br_if $ones_done (i32.ge_u (local.get $j) (local.get $n)))
        (call $tile_2x1_f32 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 2))) (local.get $k)
          (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $ones))))

  ;; One row (the last, when m is odd): 1x16 tiles, then 1x4, then 1x1.
  (func $row_f32
    (param $a_at i32) (param $b i32) (param $c_row i32) (param $k i32) (param $n i32)
    (param $a_step i32) (param $row_bytes i32)
    (local $j i32)
    (block $sixteens_done
      (loop $sixteens
        (br_if $sixteens_done (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $n)))
        (call $tile_1x16_f32 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $a_step) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $sixteens)))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (call $tile_1x4_f32 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $a_step) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $fours)))
    (block $ones_done
      (loop $ones
        (br_if $ones_done (i32.ge_u (local.get $j) (local.get $n)))
        (call $tile_1x1_f32 (local.get $a_at) (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
          (i32.add (local.get $c_row) (i32.shl (local.get $j) (i32.const 2))) (local.get $k) (local.get $a_step) (local.get $row_bytes))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $ones))))

  (func (export "matmul_f32")
    (param $a i32) (param $b i32) (param $c i32)
    (param $m i32) (param $k i32) (param $n i32)
    (param $a_row_step i32) (param $a_col_step i32)
    (local $i i32) (local $a_at i32) (local $c_row i32)
    (local $a_row_bytes i32) (local $a_step i32) (local $row_bytes i32)
    (local.set $a_row_bytes (i32.shl (local.get $a_row_step) (i32.const 2)))
    (local.set $a_step (i32.shl (local.get $a_col_step) (i32.const 2)))
    (local.set $row_bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $a_at (local.get $a))
    (local.set $c_row (local.get $c))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
        (call $pair_f32 (local.get $a_at) (local.get $b) (local.get $c_row) (local.get $k) (local.get $n)
          (local.get $a_step) (local.get $a_row_bytes) (local.get $row_bytes))
        (local.set $a_at (i32.add (local.get $a_at) (i32.shl (local.get $a_row_bytes) (i32.const 1))))
        (local.set $c_row (i32.add (local.get $c_row) (i32.shl (local.get $row_bytes) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $i) (local.get $m))
      (then
        (call $row_f32 (local.get $a_at) (local.get $b) (local.get $c_row) (local.get $k) (local.get $n)
          (local.get $a_step) (local.get $row_bytes)))))

  ;; bias_relu in float32: four lanes at a time, then one.
  (func (export "bias_relu_f32")
    (param $z i32) (param $b i32) (param $a i32) (param $m i32) (param $n i32)
    (local $row_end i32) (local $z_end i32) (local $j i32) (local $v v128)
    (local.set $z_end (i32.add (local.get $z) (i32.shl (i32.mul (local.get $m) (local.get $n)) (i32.const 2))))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $z) (local.get $z_end)))
        (local.set $row_end (i32.add (local.get $z) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $j (local.get $b))
        (block $fours_done
          (loop $fours
            (br_if $fours_done (i32.gt_u (i32.add (local.get $z) (i32.const 16)) (local.get $row_end)))
            (local.set $v (f32x4.add (v128.load (local.get $z)) (v128.load (local.get $j))))
            (v128.store (local.get $z) (local.get $v))
            (v128.store (local.get $a) (f32x4.pmax (local.get $v) (f32x4.splat (f32.const 0))))
            (local.set $z (i32.add (local.get $z) (i32.const 16)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $fours)))
        (block $ones_done
          (loop $ones
            (br_if $ones_done (i32.ge_u (local.get $z) (local.get $row_end)))
            (f32.store (local.get $z) (f32.add (f32.load (local.get $z)) (f32.load (local.get $j))))
            (f32.store (local.get $a)
              (f32x4.extract_lane 0 (f32x4.pmax (f32x4.splat (f32.load (local.get $z))) (f32x4.splat (f32.const 0)))))
            (local.set $z (i32.add (local.get $z) (i32.const 4)))
            (local.set $a (i32.add (local.get $a) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $ones)))
        (br $rows))))

  ;; relu_backward in float32.
  (func (export "relu_backward_f32")
    (param $delta i32) (param $z i32) (param $count i32)
    (local $end i32) (local $ones v128)
    (local.set $ones (f32x4.splat (f32.const 1)))
    (local.set $end (i32.add (local.get $delta) (i32.shl (local.get $count) (i32.const 2))))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.gt_u (i32.add (local.get $delta) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $delta)
          (f32x4.mul (v128.load (local.get $delta))
            (v128.and (f32x4.gt (v128.load (local.get $z)) (f32x4.splat (f32.const 0))) (local.get $ones))))
        (local.set $delta (i32.add (local.get $delta) (i32.const 16)))
        (local.set $z (i32.add (local.get $z) (i32.const 16)))
        (br $fours)))
    (block $ones_done
      (loop $each
        (br_if $ones_done (i32.ge_u (local.get $delta) (local.get $end)))
        (f32.store (local.get $delta)
          (f32.mul (f32.load (local.get $delta))
            (select (f32.const 1) (f32.const 0) (f32.gt (f32.load (local.get $z)) (f32.const 0)))))
        (local.set $delta (i32.add (local.get $delta) (i32.const 4)))
        (local.set $z (i32.add (local.get $z) (i32.const 4)))
        (br $each))))

  ;; adam in float32. The coefficients come as float64 and are rounded to
  ;; float32 once, as NumPy does when it multiplies a float32 array by a Python float.
  (func (export "adam_f32")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $count i32)
    (param $beta_1 f64) (param $one_minus_beta_1 f64) (param $beta_2 f64) (param $one_minus_beta_2 f64)
    (param $epsilon f64) (param $step f64)
    (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $b1 v128) (local $c1 v128) (local $b2 v128) (local $c2 v128) (local $eps v128) (local $s v128)
    (local.set $b1 (f32x4.splat (f32.demote_f64 (local.get $beta_1))))
    (local.set $c1 (f32x4.splat (f32.demote_f64 (local.get $one_minus_beta_1))))
    (local.set $b2 (f32x4.splat (f32.demote_f64 (local.get $beta_2))))
    (local.set $c2 (f32x4.splat (f32.demote_f64 (local.get $one_minus_beta_2))))
    (local.set $eps (f32x4.splat (f32.demote_f64 (local.get $epsilon))))
    (local.set $s (f32x4.splat (f32.demote_f64 (local.get $step))))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 2))))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $gv (v128.load (local.get $g)))
        (local.set $mv (f32x4.add (f32x4.mul (v128.load (local.get $m)) (local.get $b1)) (f32x4.mul (local.get $gv) (local.get $c1))))
        (local.set $vv (f32x4.add (f32x4.mul (v128.load (local.get $v)) (local.get $b2))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $c2))))
        (v128.store (local.get $m) (local.get $mv))
        (v128.store (local.get $v) (local.get $vv))
        (v128.store (local.get $p)
          (f32x4.sub (v128.load (local.get $p))
            (f32x4.mul (f32x4.div (local.get $mv) (f32x4.add (f32x4.sqrt (local.get $vv)) (local.get $eps))) (local.get $s))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $fours)))
    (block $ones_done
      (loop $each
        (br_if $ones_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $gv (f32x4.splat (f32.load (local.get $g))))
        (local.set $mv (f32x4.add (f32x4.mul (f32x4.splat (f32.load (local.get $m))) (local.get $b1)) (f32x4.mul (local.get $gv) (local.get $c1))))
        (local.set $vv (f32x4.add (f32x4.mul (f32x4.splat (f32.load (local.get $v))) (local.get $b2))
          (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $c2))))
        (f32.store (local.get $m) (f32x4.extract_lane 0 (local.get $mv)))
        (f32.store (local.get $v) (f32x4.extract_lane 0 (local.get $vv)))
        (f32.store (local.get $p)
          (f32.sub (f32.load (local.get $p))
            (f32x4.extract_lane 0
              (f32x4.mul (f32x4.div (local.get $mv) (f32x4.add (f32x4.sqrt (local.get $vv)) (local.get $eps))) (local.get $s)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (br $each))))
)
