;; C = A @ B in float64, with 128-bit WebAssembly SIMD: the products of
;; backpropagation (mlp/matmul.py) for Python in the browser, whose NumPy has
;; no BLAS.
;;
;; A is m x k, B is k x n, C is m x n, at byte offsets in this module's own
;; memory. B and C are stored row after row. A may be read transposed: its
;; element (i, p) is at a + 8 * (i * a_row_step + p * a_col_step), so
;; a.T @ delta (eq. 2.4.2) needs no transposed copy of a. The caller copies
;; the operands in, calls matmul, and copies C out.
;;
;; C is cut into tiles. The main one is 2 rows x 8 columns: its sixteen sums
;; stay in eight f64x2 registers while p runs over the k products,
;;
;;     C[i:i+2, j:j+8] = sum over p of A[i:i+2, p] * B[p, j:j+8],
;;
;; so each step loads two numbers of A and four vectors of B for sixteen
;; multiply-adds, and C is written once. The edges use smaller tiles: one row
;; of 8, then 2 columns, then 1. Every sum adds its products in the order of
;; p, as a plain loop does.
(module
  (memory (export "memory") 1)

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
        (call $row_tail (local.get $a_at) (local.get $b) (local.get $c_row) (local.get $j) (local.get $k) (local.get $n)
          (local.get $a_step) (local.get $row_bytes))
        (call $row_tail (i32.add (local.get $a_at) (local.get $a_row_bytes)) (local.get $b)
          (i32.add (local.get $c_row) (local.get $row_bytes)) (local.get $j) (local.get $k) (local.get $n)
          (local.get $a_step) (local.get $row_bytes))
        (local.set $a_at (i32.add (local.get $a_at) (i32.shl (local.get $a_row_bytes) (i32.const 1))))
        (local.set $c_row (i32.add (local.get $c_row) (i32.shl (local.get $row_bytes) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
    ;; The last row, when m is odd.
    (if (i32.lt_u (local.get $i) (local.get $m))
      (then
        (call $row_from (local.get $a_at) (local.get $b) (local.get $c_row) (i32.const 0) (local.get $k) (local.get $n)
          (local.get $a_step) (local.get $row_bytes))))))
