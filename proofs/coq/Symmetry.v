(* The constant-initialization symmetry theorem (DESIGN.md, section 1), for
   every depth K >= 1, all widths n_0 .. n_{K+1}, every activation sigma and
   derivative sigma', every loss gradient and every learning rate.

   Representation (Coq standard library only):
   - a vector is a function nat -> R, a matrix nat -> nat -> R (row, column);
     entries outside the widths exist but are never read: every sum stops at
     the width, and every hypothesis and conclusion is about indices below it;
   - the widths are a function n : nat -> nat (n 0 = input width d,
     n (K+1) = output width m), the parameters are indexed by layer 1 .. K+1;
   - sigma, sigma' : R -> R are arbitrary functions (nothing relates sigma'
     to sigma: the theorem holds whatever function is used as the derivative),
     and the loss gradient dloss : vector -> vector -> vector maps the output
     o and the target y to dL/do, again an arbitrary function;
   - the gradient is DEFINED by the backpropagation recursion (1)-(3) of
     DESIGN.md; this file proves what the recursion implies, for every sigma'
     and loss gradient. Derivative.v proves that, when sigma' is the
     derivative of sigma and dloss the gradient of the loss, the recursion
     computes the derivative of the loss. *)

From Coq Require Import Reals Lia List.
From Symcheck Require Import Sums.
Open Scope R_scope.

Definition vec := nat -> R.
Definition mat := nat -> nat -> R.

(* The parameters: W i is the n_i x n_{i-1} weight matrix of layer i (row p =
   unit p of layer i), b i its bias vector, for i = 1 .. K+1. *)
Record params := mkParams { W : nat -> mat; b : nat -> vec }.

Section Network.

(* The architecture: depth, widths, activation, its "derivative", loss
   gradient. These are universally quantified in every theorem below once the
   section is closed. *)
Variable K : nat.
Variable n : nat -> nat.
Variable sigma dsigma : R -> R.
Variable dloss : vec -> vec -> vec.

(* A v + c with A having ncols columns. *)
Definition affine (A : mat) (c : vec) (ncols : nat) (v : vec) : vec :=
  fun p => sum ncols (fun k => A p k * v k) + c p.

(** * Forward pass: h_0 = x, z_i = W_i h_{i-1} + b_i, h_i = sigma(z_i). *)

Fixpoint h (th : params) (x : vec) (i : nat) : vec :=
  match i with
  | O => x
  | S j => fun p => sigma (affine (W th (S j)) (b th (S j)) (n j) (h th x j) p)
  end.

Definition z (th : params) (x : vec) (i : nat) : vec :=
  affine (W th i) (b th i) (n (pred i)) (h th x (pred i)).

Lemma h_hidden : forall th x i p, (1 <= i)%nat -> h th x i p = sigma (z th x i p).
Proof. intros th x [| j] p Hi; [lia | reflexivity]. Qed.

(* The output layer is affine: o = W_{K+1} h_K + b_{K+1}. *)
Definition output (th : params) (x : vec) : vec := z th x (S K).

(* dL/do, the loss gradient at the output. *)
Definition g (th : params) (x y : vec) : vec := dloss (output th x) y.

(** * Backward pass: dh i = dL/dh_i, by the recursion
      dL/dh_K     = W_{K+1}^T g
      dL/dh_{i-1} = W_i^T (dL/dh_i (.) sigma'(z_i))                  (3)
   computed from the top: dh_top j is dL/dh_{K-j}. *)

Fixpoint dh_top (th : params) (x y : vec) (j : nat) : vec :=
  match j with
  | O => fun k => sum (n (S K)) (fun r => W th (S K) r k * g th x y r)
  | S j' =>
      let i := (K - j')%nat in
      fun k => sum (n i) (fun p => W th i p k * (dh_top th x y j' p * dsigma (z th x i p)))
  end.

Definition dh (th : params) (x y : vec) (i : nat) : vec := dh_top th x y (K - i).

(* delta_i = dL/dh_i (.) sigma'(z_i) for hidden layers, delta_{K+1} = g. *)
Definition delta (th : params) (x y : vec) (i : nat) : vec :=
  if Nat.eqb i (S K) then g th x y
  else fun p => dh th x y i p * dsigma (z th x i p).

(* The gradient: (1) dL/dW_i = delta_i h_{i-1}^T, (2) dL/db_i = delta_i. *)
Definition gW (th : params) (x y : vec) (i : nat) : mat :=
  fun p k => delta th x y i p * h th x (pred i) k.
Definition gb (th : params) (x y : vec) (i : nat) : vec := delta th x y i.

(** The recursion as DESIGN.md writes it, as lemmas about the definitions. *)

Lemma dh_top_layer : forall th x y k,
  dh th x y K k = sum (n (S K)) (fun r => W th (S K) r k * g th x y r).
Proof. intros. unfold dh. rewrite Nat.sub_diag. reflexivity. Qed.

Lemma dh_recursion : forall th x y i k, (1 <= i <= K)%nat ->
  dh th x y (pred i) k =
  sum (n i) (fun p => W th i p k * (dh th x y i p * dsigma (z th x i p))).
Proof.
  intros th x y i k Hi. unfold dh.
  replace (K - pred i)%nat with (S (K - i)) by lia.
  cbn [dh_top]. replace (K - (K - i))%nat with i by lia. reflexivity.
Qed.

Lemma gradient_W_hidden : forall th x y i p k, (1 <= i <= K)%nat ->
  gW th x y i p k = (dh th x y i p * dsigma (z th x i p)) * h th x (pred i) k.
Proof.
  intros th x y i p k Hi. unfold gW, delta.
  destruct (Nat.eqb_spec i (S K)); [lia | reflexivity].
Qed.

Lemma gradient_b_hidden : forall th x y i p, (1 <= i <= K)%nat ->
  gb th x y i p = dh th x y i p * dsigma (z th x i p).
Proof.
  intros th x y i p Hi. unfold gb, delta.
  destruct (Nat.eqb_spec i (S K)); [lia | reflexivity].
Qed.

Lemma gradient_output_layer : forall th x y r k,
  gW th x y (S K) r k = g th x y r * h th x K k /\ gb th x y (S K) r = g th x y r.
Proof. intros. unfold gW, gb, delta. rewrite Nat.eqb_refl. split; reflexivity. Qed.

(** * One step of gradient descent, theta - eta * gradient, on a mini-batch
   (a list of examples (x, y); the gradient is the sum of the examples'
   gradients; a batch of one example is plain SGD). *)

Definition batch_gW (th : params) (batch : list (vec * vec)) (i : nat) : mat :=
  fun p k => fold_right (fun xy acc => gW th (fst xy) (snd xy) i p k + acc) 0 batch.
Definition batch_gb (th : params) (batch : list (vec * vec)) (i : nat) : vec :=
  fun p => fold_right (fun xy acc => gb th (fst xy) (snd xy) i p + acc) 0 batch.

Definition step (eta : R) (batch : list (vec * vec)) (th : params) : params :=
  mkParams (fun i p k => W th i p k - eta * batch_gW th batch i p k)
           (fun i p => b th i p - eta * batch_gb th batch i p).

(** * The invariant set S:
      W_1 = 1 u^T, W_i = c_i 1 1^T (2 <= i <= K), W_{K+1} = v 1^T,
      b_i = beta_i 1 (1 <= i <= K); u, v and b_{K+1} free. *)

Definition in_S (th : params) : Prop :=
  (exists u : vec, forall p k, (p < n 1%nat)%nat -> (k < n 0%nat)%nat -> W th 1 p k = u k) /\
  (forall i, (2 <= i <= K)%nat ->
     exists c : R, forall p k, (p < n i)%nat -> (k < n (pred i))%nat -> W th i p k = c) /\
  (exists v : vec, forall r k, (r < n (S K))%nat -> (k < n K)%nat -> W th (S K) r k = v r) /\
  (forall i, (1 <= i <= K)%nat ->
     exists beta : R, forall p, (p < n i)%nat -> b th i p = beta).

(* The same shape, written as equalities: what a gradient must satisfy for
   theta - eta * gradient to stay in S (S is a linear subspace). *)
Definition shaped (GW : nat -> mat) (Gb : nat -> vec) : Prop :=
  (forall p q k, (p < n 1%nat)%nat -> (q < n 1%nat)%nat -> (k < n 0%nat)%nat -> GW 1%nat p k = GW 1%nat q k) /\
  (forall i p q k l, (2 <= i <= K)%nat -> (p < n i)%nat -> (q < n i)%nat ->
     (k < n (pred i))%nat -> (l < n (pred i))%nat -> GW i p k = GW i q l) /\
  (forall r k l, (r < n (S K))%nat -> (k < n K)%nat -> (l < n K)%nat ->
     GW (S K) r k = GW (S K) r l) /\
  (forall i p q, (1 <= i <= K)%nat -> (p < n i)%nat -> (q < n i)%nat -> Gb i p = Gb i q).

(** ** Inside S, every hidden layer's units agree. *)

Section InsideS.

Variable th : params.
Hypothesis HS : in_S th.

(* Layers 1 .. K have equal rows (W_1 by u, the middle layers are constant). *)
Lemma rows_equal : forall i p q k, (1 <= i <= K)%nat ->
  (p < n i)%nat -> (q < n i)%nat -> (k < n (pred i))%nat -> W th i p k = W th i q k.
Proof.
  destruct HS as [[u Hu] [Hmid _]].
  intros i p q k Hi Hp Hq Hk.
  destruct (Nat.eq_dec i 1) as [-> | Hne].
  - rewrite (Hu p k), (Hu q k) by assumption. reflexivity.
  - destruct (Hmid i ltac:(lia)) as [c Hc].
    rewrite (Hc p k), (Hc q k) by assumption. reflexivity.
Qed.

(* Layers 2 .. K+1 have equal columns. *)
Lemma columns_equal : forall i r k l, (2 <= i <= S K)%nat ->
  (r < n i)%nat -> (k < n (pred i))%nat -> (l < n (pred i))%nat -> W th i r k = W th i r l.
Proof.
  destruct HS as [_ [Hmid [[v Hv] _]]].
  intros i r k l Hi Hr Hk Hl.
  destruct (Nat.eq_dec i (S K)) as [-> | Hne].
  - rewrite (Hv r k), (Hv r l) by assumption. reflexivity.
  - destruct (Hmid i ltac:(lia)) as [c Hc].
    rewrite (Hc r k), (Hc r l) by assumption. reflexivity.
Qed.

Lemma biases_equal : forall i p q, (1 <= i <= K)%nat ->
  (p < n i)%nat -> (q < n i)%nat -> b th i p = b th i q.
Proof.
  destruct HS as [_ [_ [_ Hb]]].
  intros i p q Hi Hp Hq. destruct (Hb i Hi) as [beta Hbeta].
  rewrite (Hbeta p), (Hbeta q) by assumption. reflexivity.
Qed.

Lemma z_equal : forall x i p q, (1 <= i <= K)%nat ->
  (p < n i)%nat -> (q < n i)%nat -> z th x i p = z th x i q.
Proof.
  intros x i p q Hi Hp Hq. unfold z, affine.
  rewrite (biases_equal i p q) by assumption. f_equal.
  apply sum_ext. intros k Hk. rewrite (rows_equal i p q k) by assumption. reflexivity.
Qed.

Lemma h_equal : forall x i p q, (1 <= i <= K)%nat ->
  (p < n i)%nat -> (q < n i)%nat -> h th x i p = h th x i q.
Proof.
  intros x i p q Hi Hp Hq.
  rewrite !h_hidden by lia. rewrite (z_equal x i p q) by assumption. reflexivity.
Qed.

Lemma dh_equal : forall x y i k l, (1 <= i <= K)%nat ->
  (k < n i)%nat -> (l < n i)%nat -> dh th x y i k = dh th x y i l.
Proof.
  intros x y i k l Hi Hk Hl.
  destruct (Nat.eq_dec i K) as [-> | Hne].
  - rewrite !dh_top_layer. apply sum_ext. intros r Hr.
    rewrite (columns_equal (S K) r k l) by (simpl; lia). reflexivity.
  - (* dL/dh_i = W_{i+1}^T (...), and W_{i+1} (2 <= i+1 <= K) has equal columns *)
    replace i with (pred (S i)) by reflexivity.
    rewrite !dh_recursion by lia. apply sum_ext. intros p Hp.
    rewrite (columns_equal (S i) p k l) by (simpl; lia). reflexivity.
Qed.

Lemma delta_equal : forall x y i p q, (1 <= i <= K)%nat ->
  (p < n i)%nat -> (q < n i)%nat -> gb th x y i p = gb th x y i q.
Proof.
  intros x y i p q Hi Hp Hq. rewrite !gradient_b_hidden by assumption.
  rewrite (dh_equal x y i p q), (z_equal x i p q) by assumption. reflexivity.
Qed.

(** ** Hence the gradient of one example has the shape of S ... *)

Lemma gradient_shaped : forall x y, (1 <= K)%nat -> shaped (gW th x y) (gb th x y).
Proof.
  intros x y HK. split; [| split; [| split]].
  - intros p q k Hp Hq Hk. rewrite !gradient_W_hidden by lia.
    rewrite <- !gradient_b_hidden by lia.
    rewrite (delta_equal x y 1 p q) by lia. reflexivity.
  - intros i p q k l Hi Hp Hq Hk Hl. rewrite !gradient_W_hidden by lia.
    rewrite <- !gradient_b_hidden by lia.
    rewrite (delta_equal x y i p q) by lia.
    rewrite (h_equal x (pred i) k l) by lia. reflexivity.
  - intros r k l Hr Hk Hl.
    destruct (gradient_output_layer th x y r k) as [-> _].
    destruct (gradient_output_layer th x y r l) as [-> _].
    rewrite (h_equal x K k l) by lia. reflexivity.
  - intros i p q Hi Hp Hq. apply delta_equal; assumption.
Qed.

End InsideS.

(** ** ... so has the sum over a mini-batch ... *)

Lemma batch_shaped : forall th batch,
  (forall x y, shaped (gW th x y) (gb th x y)) -> shaped (batch_gW th batch) (batch_gb th batch).
Proof.
  intros th batch Hone. unfold batch_gW, batch_gb.
  induction batch as [| [x y] rest IH]; simpl.
  - repeat split; intros; reflexivity.
  - destruct (Hone x y) as [H1 [H2 [H3 H4]]].
    destruct IH as [I1 [I2 [I3 I4]]].
    split; [| split; [| split]]; intros.
    + rewrite (H1 p q k), (I1 p q k) by assumption. reflexivity.
    + rewrite (H2 i p q k l), (I2 i p q k l) by assumption. reflexivity.
    + rewrite (H3 r k l), (I3 r k l) by assumption. reflexivity.
    + rewrite (H4 i p q), (I4 i p q) by assumption. reflexivity.
Qed.

(** ** ... and S is closed under theta - eta * (a shaped gradient). *)

Lemma update_in_S : forall th eta GW Gb, in_S th -> shaped GW Gb ->
  in_S (mkParams (fun i p k => W th i p k - eta * GW i p k)
                 (fun i p => b th i p - eta * Gb i p)).
Proof.
  intros th eta GW Gb [[u Hu] [Hmid [[v Hv] Hb]]] [G1 [G2 [G3 G4]]].
  split; [| split; [| split]]; simpl.
  - exists (fun k => u k - eta * GW 1%nat O k). intros p k Hp Hk.
    rewrite (Hu p k), (G1 p O k) by (assumption || lia). reflexivity.
  - intros i Hi. destruct (Hmid i Hi) as [c Hc].
    exists (c - eta * GW i O O). intros p k Hp Hk.
    rewrite (Hc p k), (G2 i p O k O) by (assumption || lia). reflexivity.
  - exists (fun r => v r - eta * GW (S K) r O). intros r k Hr Hk.
    rewrite (Hv r k), (G3 r k O) by (assumption || lia). reflexivity.
  - intros i Hi. destruct (Hb i Hi) as [beta Hbeta].
    exists (beta - eta * Gb i O). intros p Hp.
    rewrite (Hbeta p), (G4 i p O) by (assumption || lia). reflexivity.
Qed.

(** * The theorems. *)

(* One gradient-descent step maps S into itself. *)
Theorem step_preserves_S : forall eta batch th,
  (1 <= K)%nat -> in_S th -> in_S (step eta batch th).
Proof.
  intros eta batch th HK HS. unfold step. apply update_in_S; [assumption |].
  apply batch_shaped. intros x y. apply gradient_shaped; assumption.
Qed.

(* Training: step t uses learning rate eta t and mini-batch data t (both may
   change from step to step). *)
Fixpoint train (eta : nat -> R) (data : nat -> list (vec * vec)) (th0 : params) (t : nat)
  : params :=
  match t with
  | O => th0
  | S t' => step (eta t') (data t') (train eta data th0 t')
  end.

(* Every number of steps stays in S. *)
Theorem train_preserves_S : forall eta data th0 t,
  (1 <= K)%nat -> in_S th0 -> in_S (train eta data th0 t).
Proof.
  intros eta data th0 t HK H0. induction t as [| t IH]; simpl.
  - assumption.
  - apply step_preserves_S; assumption.
Qed.

(* A constant initialization (W_i = w_i 1 1^T, b_i = beta_i 1) lies in S. *)
Definition constant_init (w beta : nat -> R) : params :=
  mkParams (fun i _ _ => w i) (fun i _ => beta i).

Lemma constant_init_in_S : forall w beta, in_S (constant_init w beta).
Proof.
  intros w beta. split; [| split; [| split]]; simpl.
  - exists (fun _ => w 1%nat). reflexivity.
  - intros i _. exists (w i). reflexivity.
  - exists (fun _ => w (S K)). reflexivity.
  - intros i _. exists (beta i). reflexivity.
Qed.

(* DESIGN.md's theorem in its own words: after any number of steps from a
   constant initialization, for any data and learning rates,
   1. for i = 1..K, all rows of W_i are equal;
   2. for i = 2..K+1, all columns of W_i are equal;
   3. for i = 1..K, all entries of b_i are equal. *)
Theorem constant_init_symmetry : forall w beta eta data t,
  (1 <= K)%nat ->
  let th := train eta data (constant_init w beta) t in
  (forall i p q k, (1 <= i <= K)%nat -> (p < n i)%nat -> (q < n i)%nat ->
     (k < n (pred i))%nat -> W th i p k = W th i q k) /\
  (forall i r k l, (2 <= i <= S K)%nat -> (r < n i)%nat ->
     (k < n (pred i))%nat -> (l < n (pred i))%nat -> W th i r k = W th i r l) /\
  (forall i p q, (1 <= i <= K)%nat -> (p < n i)%nat -> (q < n i)%nat -> b th i p = b th i q).
Proof.
  intros w beta eta data t HK th.
  assert (HS : in_S th) by (apply train_preserves_S; [assumption | apply constant_init_in_S]).
  split; [| split].
  - apply rows_equal; assumption.
  - apply columns_equal; assumption.
  - apply biases_equal; assumption.
Qed.

End Network.
