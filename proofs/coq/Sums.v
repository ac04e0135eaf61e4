(* Finite sums sum n f = f 0 + ... + f (n-1) over Coq's real numbers, and
   the handful of facts about them the developments use. *)

From Coq Require Import Reals Lra Lia.
Open Scope R_scope.

Fixpoint sum (n : nat) (f : nat -> R) : R :=
  match n with
  | O => 0
  | S k => sum k f + f k
  end.

Lemma sum_ext : forall n f g,
  (forall k, (k < n)%nat -> f k = g k) -> sum n f = sum n g.
Proof.
  induction n as [| n IH]; intros f g Hfg; simpl.
  - reflexivity.
  - rewrite (IH f g) by (intros; apply Hfg; lia).
    rewrite (Hfg n) by lia. reflexivity.
Qed.

Lemma sum_S : forall len f, sum (S len) f = sum len f + f len.
Proof. reflexivity. Qed.

Lemma sum_zero : forall len, sum len (fun _ => 0) = 0.
Proof. induction len as [| len IH]; simpl; [reflexivity | rewrite IH; ring]. Qed.

Lemma sum_plus : forall len f g, sum len (fun k => f k + g k) = sum len f + sum len g.
Proof. induction len as [| len IH]; intros; simpl; [ring | rewrite IH; ring]. Qed.

Lemma sum_scale : forall len c f, c * sum len f = sum len (fun k => c * f k).
Proof. induction len as [| len IH]; intros; simpl; [ring | rewrite <- IH; ring]. Qed.

Lemma sum_minus_scale : forall len eta f g,
  sum len (fun k => f k - eta * g k) = sum len f - eta * sum len g.
Proof. induction len as [| len IH]; intros; simpl; [ring | rewrite IH; ring]. Qed.

(* Class sums are linear: the forms the batch and update lemmas meet. *)
Lemma sum_weighted_plus : forall len w a c,
  sum len (fun k => w k * (a k + c k)) = sum len (fun k => w k * a k) + sum len (fun k => w k * c k).
Proof. intros. rewrite <- sum_plus. apply sum_ext. intros. ring. Qed.

Lemma sum_weighted_minus : forall len w a c eta,
  sum len (fun k => w k * (a k - eta * c k)) =
  sum len (fun k => w k * a k) - eta * sum len (fun k => w k * c k).
Proof. intros. rewrite <- sum_minus_scale. apply sum_ext. intros. ring. Qed.

Lemma sum_swap : forall len M (f : nat -> nat -> R),
  sum len (fun i => sum M (fun j => f i j)) = sum M (fun j => sum len (fun i => f i j)).
Proof.
  induction len as [| len IH]; intros M f; simpl.
  - induction M as [| M IHM]; simpl; [reflexivity | rewrite <- IHM; ring].
  - rewrite IH, <- sum_plus. reflexivity.
Qed.

Lemma sum_ge_term : forall len f k, (forall j, (j < len)%nat -> 0 <= f j) ->
  (k < len)%nat -> f k <= sum len f.
Proof.
  induction len as [| len IH]; intros f k Hpos Hk; simpl; [lia |].
  assert (0 <= sum len f).
  { clear IH Hk. induction len as [| len IHN]; simpl; [lra |].
    assert (0 <= f len) by (apply Hpos; lia). assert (0 <= sum len f) by (apply IHN; intros; apply Hpos; lia).
    lra. }
  destruct (Nat.eq_dec k len) as [-> | Hne].
  - lra.
  - assert (f k <= sum len f) by (apply IH; [intros; apply Hpos; lia | lia]).
    assert (0 <= f len) by (apply Hpos; lia). lra.
Qed.
