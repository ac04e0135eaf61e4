(* Beyond equal weights: equitable partitions (DESIGN.md, section 1b).

   Partition the units of every hidden layer into classes (input and output
   units are singletons). The partition is equitable at a parameter point
   when, for every two units p, q in one class of hidden layer i,
   - forward: for every class B of layer i-1,
       sum_{k in B} W_i[p,k] = sum_{k in B} W_i[q,k], and b_i[p] = b_i[q];
   - backward: for every class C of layer i+1,
       sum_{r in C} W_{i+1}[r,p] = sum_{r in C} W_{i+1}[r,q].
   Theorem: one gradient-descent step (the same network, recursion (1)-(3),
   step and mini-batches as in Symmetry.v) keeps the partition equitable, for
   every sigma, sigma', loss gradient and learning rate; hence so does every
   number of steps, and tied units have equal z, h and delta throughout.
   The constant-initialization theorem is the case of one class per layer, but
   equitable weights need not have equal rows (a magic square, for example). *)

From Coq Require Import Reals Lra Lia List Bool.
From Symcheck Require Import Sums Symmetry.
Open Scope R_scope.

Section Regroup.

(* Units 0 .. len-1 carry class labels c; in_class k0 k is 1 when k is in the
   class of k0, else 0. *)
Variable len : nat.
Variable c : nat -> nat.

Definition in_class (k0 k : nat) : R := if Nat.eqb (c k) (c k0) then 1 else 0.

Definition class_size (k : nat) : R := sum len (in_class k).

Lemma class_size_pos : forall k, (k < len)%nat -> 0 < class_size k.
Proof.
  intros k Hk. unfold class_size.
  assert (in_class k k <= sum len (in_class k)).
  { apply sum_ge_term; [| assumption].
    intros j _. unfold in_class. destruct (Nat.eqb _ _); lra. }
  unfold in_class in H at 1. rewrite Nat.eqb_refl in H. lra.
Qed.

Lemma in_class_same : forall k k' j, c k = c k' -> in_class k j = in_class k' j.
Proof. intros k k' j Hc. unfold in_class. rewrite Hc. reflexivity. Qed.

Lemma in_class_sym : forall k j, in_class k j = in_class j k.
Proof. intros. unfold in_class. rewrite Nat.eqb_sym. reflexivity. Qed.

(* For f constant on classes:
     sum_k a_k f_k = sum_{k0} f_{k0} / |class of k0| * sum_{k in class of k0} a_k,
   i.e. a weighted sum depends on the weights only through their class sums. *)
Lemma regroup : forall (a f : nat -> R),
  (forall k k', (k < len)%nat -> (k' < len)%nat -> c k = c k' -> f k = f k') ->
  sum len (fun k => a k * f k) =
  sum len (fun k0 => f k0 / class_size k0 * sum len (fun k => in_class k0 k * a k)).
Proof.
  intros a f Hf.
  transitivity (sum len (fun k0 => sum len (fun k => f k0 / class_size k0 * (in_class k0 k * a k)))).
  2: { apply sum_ext. intros. symmetry. apply sum_scale. }
  rewrite sum_swap. apply sum_ext. intros k Hk.
  transitivity (a k * f k / class_size k * class_size k).
  { field. apply Rgt_not_eq, class_size_pos, Hk. }
  change (class_size k) with (sum len (in_class k)) at 2.
  rewrite sum_scale. apply sum_ext. intros k0 Hk0.
  rewrite (in_class_sym k0 k). unfold in_class.
  destruct (Nat.eqb_spec (c k0) (c k)) as [Hc | Hc]; [| ring].
  assert (Hsize : class_size k0 = class_size k)
    by (unfold class_size; apply sum_ext; intros; apply in_class_same; assumption).
  rewrite (Hf k0 k), Hsize by assumption. unfold Rdiv. ring.
Qed.

(* Hence equal class sums give equal weighted sums. *)
Lemma class_sums_decide : forall (a a' f : nat -> R),
  (forall k k', (k < len)%nat -> (k' < len)%nat -> c k = c k' -> f k = f k') ->
  (forall k0, (k0 < len)%nat ->
     sum len (fun k => in_class k0 k * a k) = sum len (fun k => in_class k0 k * a' k)) ->
  sum len (fun k => a k * f k) = sum len (fun k => a' k * f k).
Proof.
  intros a a' f Hf Hsums. rewrite (regroup a f Hf), (regroup a' f Hf).
  apply sum_ext. intros k0 Hk0. rewrite Hsums by assumption. reflexivity.
Qed.

End Regroup.

Section Network.

Variable K : nat.
Variable n : nat -> nat.
Variable sigma dsigma : R -> R.
Variable dloss : vec -> vec -> vec.
(* part i p: the class of unit p of hidden layer i (1 <= i <= K). *)
Variable part : nat -> nat -> nat.

Local Notation h := (Symmetry.h n sigma).
Local Notation z := (Symmetry.z n sigma).
Local Notation g := (Symmetry.g K n sigma dloss).
Local Notation dh_top := (Symmetry.dh_top K n sigma dsigma dloss).
Local Notation dh := (Symmetry.dh K n sigma dsigma dloss).
Local Notation gW := (Symmetry.gW K n sigma dsigma dloss).
Local Notation gb := (Symmetry.gb K n sigma dsigma dloss).
Local Notation batch_gW := (Symmetry.batch_gW K n sigma dsigma dloss).
Local Notation batch_gb := (Symmetry.batch_gb K n sigma dsigma dloss).
Local Notation step := (Symmetry.step K n sigma dsigma dloss).
Local Notation train := (Symmetry.train K n sigma dsigma dloss).

(* Class labels of every layer: hidden layers as given, input and output
   units (layers 0 and K+1) each in a class of their own. *)
Definition cls (i p : nat) : nat := if (1 <=? i)%nat && (i <=? K)%nat then part i p else p.

Lemma cls_outside : forall i p, (i = 0 \/ i = S K)%nat -> cls i p = p.
Proof.
  intros i p [-> | ->]; unfold cls; [reflexivity |].
  replace (S K <=? K)%nat with false by (symmetry; apply Nat.leb_gt; lia).
  rewrite andb_false_r. reflexivity.
Qed.

(* Sum of row p of A over the class of unit k0 of layer i-1, and of column p
   of A over the class of unit r0 of layer i (A = W_i, n_i x n_{i-1}). *)
Definition row_class_sum (A : mat) (i p k0 : nat) : R :=
  sum (n (pred i)) (fun k => in_class (cls (pred i)) k0 k * A p k).
Definition col_class_sum (A : mat) (i p r0 : nat) : R :=
  sum (n i) (fun r => in_class (cls i) r0 r * A r p).

(* The partition is equitable for (W, b), or a gradient (GW, Gb) has the
   same shape: the conditions of DESIGN.md, section 1b. *)
Definition equitable (W : nat -> mat) (b : nat -> vec) : Prop :=
  forall i p q, (1 <= i <= K)%nat -> (p < n i)%nat -> (q < n i)%nat -> cls i p = cls i q ->
    (forall k0, (k0 < n (pred i))%nat -> row_class_sum (W i) i p k0 = row_class_sum (W i) i q k0) /\
    b i p = b i q /\
    (forall r0, (r0 < n (S i))%nat ->
       col_class_sum (W (S i)) (S i) p r0 = col_class_sum (W (S i)) (S i) q r0).

(* f takes one value on each class of layer i. *)
Definition class_constant (i : nat) (f : vec) : Prop :=
  forall k k', (k < n i)%nat -> (k' < n i)%nat -> cls i k = cls i k' -> f k = f k'.

Lemma singletons_constant : forall i f, (i = 0 \/ i = S K)%nat -> class_constant i f.
Proof.
  intros i f Hi k k' _ _ Hc. rewrite !cls_outside in Hc by assumption. subst. reflexivity.
Qed.

(** ** At an equitable point, tied units agree forward and backward. *)

Section Tied.

Variable th : params.
Hypothesis Heq : equitable (W th) (b th).

Lemma h_tied : forall x i, (i <= K)%nat -> class_constant i (h th x i).
Proof.
  intros x i. induction i as [| j IH]; intros Hi.
  - apply singletons_constant. left. reflexivity.
  - intros p q Hp Hq Hc. cbn [Symmetry.h]. f_equal. unfold affine.
    destruct (Heq (S j) p q ltac:(lia) Hp Hq Hc) as [Hrow [Hb _]].
    rewrite Hb. f_equal.
    apply (class_sums_decide (n j) (cls j)).
    + apply IH. lia.
    + intros k0 Hk0. apply (Hrow k0 Hk0).
Qed.

Lemma z_tied : forall x i, (1 <= i <= K)%nat -> class_constant i (z th x i).
Proof.
  intros x i Hi p q Hp Hq Hc. unfold Symmetry.z, affine.
  destruct (Heq i p q Hi Hp Hq Hc) as [Hrow [Hb _]].
  rewrite Hb. f_equal.
  apply (class_sums_decide (n (pred i)) (cls (pred i))).
  - apply h_tied. lia.
  - intros k0 Hk0. apply (Hrow k0 Hk0).
Qed.

(* dh_top j is dL/dh_{K-j}: by descending induction over the layers. *)
Lemma dh_top_tied : forall x y j, (j < K)%nat -> class_constant (K - j) (dh_top th x y j).
Proof.
  intros x y j. induction j as [| j IH]; intros Hj k k' Hk Hk' Hc.
  - rewrite Nat.sub_0_r in *. cbn [Symmetry.dh_top].
    destruct (Heq K k k' ltac:(lia) Hk Hk' Hc) as [_ [_ Hcol]].
    apply (class_sums_decide (n (S K)) (cls (S K))).
    + apply singletons_constant. right. reflexivity.
    + intros r0 Hr0. apply (Hcol r0 Hr0).
  - cbn [Symmetry.dh_top].
    destruct (Heq (K - S j)%nat k k' ltac:(lia) Hk Hk' Hc) as [_ [_ Hcol]].
    replace (S (K - S j)) with (K - j)%nat in Hcol by lia.
    apply (class_sums_decide (n (K - j)%nat) (cls (K - j)%nat)).
    + intros p q Hp Hq Hpq.
      rewrite (IH ltac:(lia) p q), (z_tied x (K - j)%nat ltac:(lia) p q) by assumption.
      reflexivity.
    + intros r0 Hr0. apply (Hcol r0 Hr0).
Qed.

Lemma dh_tied : forall x y i, (1 <= i <= K)%nat -> class_constant i (dh th x y i).
Proof.
  intros x y i Hi. unfold Symmetry.dh.
  replace i with (K - (K - i))%nat at 1 by lia. apply dh_top_tied. lia.
Qed.

Lemma delta_tied : forall x y i, (1 <= i <= K)%nat -> class_constant i (gb th x y i).
Proof.
  intros x y i Hi p q Hp Hq Hc. rewrite !gradient_b_hidden by assumption.
  rewrite (dh_tied x y i Hi p q), (z_tied x i Hi p q) by assumption. reflexivity.
Qed.

(** ** Hence the gradient of one example has the equitable shape. *)

Lemma gradient_equitable : forall x y, (1 <= K)%nat -> equitable (gW th x y) (gb th x y).
Proof.
  intros x y HK i p q Hi Hp Hq Hc. split; [| split].
  - intros k0 Hk0. unfold row_class_sum. apply sum_ext. intros k Hk.
    rewrite !gradient_W_hidden by assumption.
    rewrite <- !gradient_b_hidden by assumption.
    rewrite (delta_tied x y i Hi p q) by assumption. reflexivity.
  - apply delta_tied; assumption.
  - intros r0 Hr0. unfold col_class_sum. apply sum_ext. intros r Hr.
    unfold Symmetry.gW. simpl pred.
    rewrite (h_tied x i ltac:(lia) p q) by assumption. reflexivity.
Qed.

End Tied.

(** ** Sums of equitable gradients are equitable, and so is theta - eta * G. *)

Lemma batch_equitable : forall th batch,
  (forall x y, equitable (gW th x y) (gb th x y)) ->
  equitable (batch_gW th batch) (batch_gb th batch).
Proof.
  intros th batch Hone. unfold Symmetry.batch_gW, Symmetry.batch_gb.
  induction batch as [| [x y] rest IH]; intros i p q Hi Hp Hq Hc.
  - simpl. repeat split; intros; reflexivity.
  - destruct (Hone x y i p q Hi Hp Hq Hc) as [G1 [G2 G3]].
    destruct (IH i p q Hi Hp Hq Hc) as [I1 [I2 I3]].
    unfold row_class_sum, col_class_sum in *. simpl fold_right.
    split; [| split].
    + intros k0 Hk0.
      rewrite !sum_weighted_plus, (G1 k0 Hk0), (I1 k0 Hk0). reflexivity.
    + rewrite G2, I2. reflexivity.
    + intros r0 Hr0.
      rewrite !sum_weighted_plus, (G3 r0 Hr0), (I3 r0 Hr0). reflexivity.
Qed.

Lemma update_equitable : forall W b GW Gb eta,
  equitable W b -> equitable GW Gb ->
  equitable (fun i p k => W i p k - eta * GW i p k) (fun i p => b i p - eta * Gb i p).
Proof.
  intros W b GW Gb eta HW HG i p q Hi Hp Hq Hc.
  destruct (HW i p q Hi Hp Hq Hc) as [W1 [W2 W3]].
  destruct (HG i p q Hi Hp Hq Hc) as [G1 [G2 G3]].
  unfold row_class_sum, col_class_sum in *.
  split; [| split].
  - intros k0 Hk0.
    rewrite !sum_weighted_minus, (W1 k0 Hk0), (G1 k0 Hk0). reflexivity.
  - rewrite W2, G2. reflexivity.
  - intros r0 Hr0.
    rewrite !sum_weighted_minus, (W3 r0 Hr0), (G3 r0 Hr0). reflexivity.
Qed.

(** * The theorems. *)

Theorem step_preserves_equitable : forall eta batch th,
  (1 <= K)%nat -> equitable (W th) (b th) ->
  let th' := step eta batch th in equitable (W th') (b th').
Proof.
  intros eta batch th HK Heq. simpl.
  apply update_equitable; [assumption |].
  apply batch_equitable. intros x y. apply gradient_equitable; assumption.
Qed.

Theorem train_preserves_equitable : forall eta data th0 t,
  (1 <= K)%nat -> equitable (W th0) (b th0) ->
  let th := train eta data th0 t in equitable (W th) (b th).
Proof.
  intros eta data th0 t HK H0. induction t as [| t IH]; simpl.
  - assumption.
  - apply step_preserves_equitable; assumption.
Qed.

(* Tied units stay functionally identical: after any number of steps, on any
   example, units in one class have equal pre-activations, activations and
   deltas (dL/db). *)
Theorem tied_units_agree : forall eta data th0 t x y i p q,
  (1 <= K)%nat -> equitable (W th0) (b th0) ->
  (1 <= i <= K)%nat -> (p < n i)%nat -> (q < n i)%nat -> cls i p = cls i q ->
  let th := train eta data th0 t in
  z th x i p = z th x i q /\ h th x i p = h th x i q /\ gb th x y i p = gb th x y i q.
Proof.
  intros eta data th0 t x y i p q HK H0 Hi Hp Hq Hc th.
  assert (Heq : equitable (W th) (b th)) by (apply train_preserves_equitable; assumption).
  split; [| split].
  - apply z_tied; assumption.
  - apply h_tied; [assumption | lia | assumption..].
  - apply delta_tied; assumption.
Qed.

End Network.

(* The constant-initialization set S of Symmetry.v is the case of one class
   per hidden layer: equal rows, columns and biases give equal class sums. *)
Lemma S_is_equitable : forall K n th,
  in_S K n th -> equitable K n (fun _ _ => 0%nat) (W th) (b th).
Proof.
  intros K n th HS i p q Hi Hp Hq _. split; [| split].
  - intros k0 Hk0. unfold row_class_sum. apply sum_ext. intros k Hk.
    rewrite (rows_equal K n th HS i p q k) by assumption. reflexivity.
  - apply (biases_equal K n th HS); assumption.
  - intros r0 Hr0. unfold col_class_sum. apply sum_ext. intros r Hr.
    rewrite (columns_equal K n th HS (S i) r p q) by (simpl; lia || assumption). reflexivity.
Qed.

(* ... and equitable partitions reach beyond S. A 2-2-2-1 network (K = 2, one
   class per hidden layer) whose middle weight matrix W_2 is the 2x2 identity:
   not constant, so not in S, but its rows and columns each sum to 1, so the
   partition is equitable and the theorems above apply: both units of each
   hidden layer compute the same value at every step. *)
Definition widths_2221 (i : nat) : nat := match i with 3%nat => 1%nat | _ => 2%nat end.

Definition identity_middle : params :=
  mkParams (fun i p k => match i with 2%nat => if Nat.eqb p k then 1 else 0 | _ => 1 end)
           (fun _ _ => 0).

Example identity_middle_equitable :
  equitable 2 widths_2221 (fun _ _ => 0%nat) (W identity_middle) (b identity_middle).
Proof.
  intros i p q Hi Hp Hq _.
  assert (i = 1 \/ i = 2)%nat as [-> | ->] by lia;
    simpl in Hp, Hq;
    (assert (p = 0 \/ p = 1)%nat as [-> | ->] by lia);
    (assert (q = 0 \/ q = 1)%nat as [-> | ->] by lia);
    split; try split; try reflexivity;
    intros k Hk; simpl in Hk; destruct k as [| [| k]]; try lia;
    unfold row_class_sum, col_class_sum, in_class, cls; simpl; ring.
Qed.

Example identity_middle_not_in_S : ~ in_S 2 widths_2221 identity_middle.
Proof.
  intros [_ [Hmid _]]. destruct (Hmid 2%nat ltac:(lia)) as [c Hc].
  assert (H1 := Hc 0%nat 0%nat ltac:(simpl; lia) ltac:(simpl; lia)).
  assert (H0 := Hc 0%nat 1%nat ltac:(simpl; lia) ltac:(simpl; lia)).
  simpl in H0, H1. lra.
Qed.
