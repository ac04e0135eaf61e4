(* The backpropagation recursion computes the derivative of the loss.

   Symmetry.v and Equitable.v take the recursion (1)-(3) as the definition of
   the gradient and hold for every sigma' and every loss gradient. This file
   closes the gap for the true derivatives: if sigma' is the derivative of
   sigma and dloss is the gradient of the loss l (in the sense of the chain
   rule, below), then for every parameter point theta and every direction D,

     d/dt l(o(theta + t D), y) at t = 0
       = sum_{i=1}^{K+1} ( <dL/dW_i, D_W_i> + <dL/db_i, D_b_i> )

   with dL/dW_i, dL/db_i the gradient of Symmetry.v. That is, the recursion's
   output is the gradient of the loss (its inner product with every direction
   is the directional derivative). Derivatives are Coq's standard
   derivable_pt_lim (the limit of difference quotients). *)

From Coq Require Import Reals Lra Lia FunctionalExtensionality.
From Symcheck Require Import Sums Symmetry.
Open Scope R_scope.

(** * Derivatives of the building blocks. *)

Lemma dpl_value : forall f x l l', derivable_pt_lim f x l -> l = l' -> derivable_pt_lim f x l'.
Proof. intros f x l l' H ->. exact H. Qed.

Lemma dpl_const : forall (a x : R), derivable_pt_lim (fun _ => a) x 0.
Proof. intros. apply (derivable_pt_lim_const a x). Qed.

(* t |-> a + t c has derivative c. *)
Lemma dpl_line : forall a c x, derivable_pt_lim (fun t => a + t * c) x c.
Proof.
  intros a c x.
  apply (dpl_value (plus_fct (fct_cte a) (mult_fct id (fct_cte c))) x (0 + (1 * c + x * 0))).
  - apply derivable_pt_lim_plus; [apply derivable_pt_lim_const |].
    apply derivable_pt_lim_mult; [apply derivable_pt_lim_id | apply derivable_pt_lim_const].
  - ring.
Qed.

Lemma dpl_mult : forall f g f' g' x,
  derivable_pt_lim f x f' -> derivable_pt_lim g x g' ->
  derivable_pt_lim (fun t => f t * g t) x (f' * g x + f x * g').
Proof. intros. apply (derivable_pt_lim_mult f g x f' g'); assumption. Qed.

Lemma dpl_plus : forall f g f' g' x,
  derivable_pt_lim f x f' -> derivable_pt_lim g x g' ->
  derivable_pt_lim (fun t => f t + g t) x (f' + g').
Proof. intros. apply (derivable_pt_lim_plus f g x f' g'); assumption. Qed.

(* The derivative of a finite sum of functions is the sum of the derivatives. *)
Lemma dpl_sum : forall len (f : nat -> R -> R) (f' : nat -> R) x,
  (forall k, (k < len)%nat -> derivable_pt_lim (f k) x (f' k)) ->
  derivable_pt_lim (fun t => sum len (fun k => f k t)) x (sum len f').
Proof.
  induction len as [| len IH]; intros f f' x Hf; simpl.
  - apply dpl_const.
  - apply dpl_plus; [apply IH; intros; apply Hf; lia | apply Hf; lia].
Qed.

Section Network.

Variable K : nat.
Variable n : nat -> nat.
Variable sigma dsigma : R -> R.
Variable dloss : vec -> vec -> vec.
(* The loss l(o, y). *)
Variable loss : vec -> vec -> R.

(* sigma' is the derivative of sigma. *)
Hypothesis sigma_derivative : forall u, derivable_pt_lim sigma u (dsigma u).

(* dloss is the gradient of the loss: the chain rule holds along every curve
   o(t) of outputs whose entries o_0 .. o_{m-1} are differentiable at 0
   (m = n (K+1)). Fréchet-differentiable losses satisfy it; mse_chain_rule
   below proves it for the squared error. *)
Hypothesis loss_chain_rule : forall (o : R -> vec) (o' : vec) (y : vec),
  (forall r, (r < n (S K))%nat -> derivable_pt_lim (fun t => o t r) 0 (o' r)) ->
  derivable_pt_lim (fun t => loss (o t) y) 0
    (sum (n (S K)) (fun r => dloss (o 0) y r * o' r)).

Local Notation h := (Symmetry.h n sigma).
Local Notation z := (Symmetry.z n sigma).
Local Notation dh := (Symmetry.dh K n sigma dsigma dloss).
Local Notation delta := (Symmetry.delta K n sigma dsigma dloss).
Local Notation gW := (Symmetry.gW K n sigma dsigma dloss).
Local Notation gb := (Symmetry.gb K n sigma dsigma dloss).

(* theta + t D, every weight and bias moved along the direction D. *)
Definition perturb (th D : params) (t : R) : params :=
  mkParams (fun i p k => W th i p k + t * W D i p k) (fun i p => b th i p + t * b D i p).

Lemma perturb_zero : forall th D, perturb th D 0 = th.
Proof.
  intros [Wth bth] D. unfold perturb. simpl. f_equal.
  - do 3 (apply functional_extensionality; intro). ring.
  - do 2 (apply functional_extensionality; intro). ring.
Qed.

Section Tangent.

Variables (th D : params) (x y : vec).

(* Forward-mode tangents at theta along D: dz_of i v is the tangent of z_i
   given the tangent v of h_{i-1}; dhT i is the tangent of h_i. *)
Definition dz_of (i : nat) (v : vec) : vec :=
  fun q => sum (n (pred i)) (fun k => W th i q k * v k + W D i q k * h th x (pred i) k) + b D i q.

Fixpoint dhT (i : nat) : vec :=
  match i with
  | O => fun _ => 0
  | S j => fun q => dsigma (z th x (S j) q) * dz_of (S j) (dhT j) q
  end.

Definition dzT (i : nat) : vec := dz_of i (dhT (pred i)).

Lemma z_tangent : forall i q,
  (forall k, (k < n (pred i))%nat ->
     derivable_pt_lim (fun t => h (perturb th D t) x (pred i) k) 0 (dhT (pred i) k)) ->
  derivable_pt_lim (fun t => z (perturb th D t) x i q) 0 (dzT i q).
Proof.
  intros i q Hh. unfold Symmetry.z, affine, dzT, dz_of. simpl.
  apply dpl_plus; [| apply dpl_line].
  apply dpl_sum. intros k Hk.
  eapply dpl_value; [apply dpl_mult; [apply dpl_line | apply Hh; assumption] |].
  cbv beta. rewrite perturb_zero. ring.
Qed.

Lemma h_tangent : forall i k,
  derivable_pt_lim (fun t => h (perturb th D t) x i k) 0 (dhT i k).
Proof.
  induction i as [| j IH]; intros k.
  - cbn [Symmetry.h dhT]. apply dpl_const.
  - cbn [Symmetry.h dhT].
    assert (Hz := z_tangent (S j) k (fun k' _ => IH k')).
    apply (derivable_pt_lim_comp (fun t => z (perturb th D t) x (S j) k) sigma 0).
    + exact Hz.
    + rewrite perturb_zero. apply sigma_derivative.
Qed.

(* Reverse mode meets forward mode: sum_q delta_i[q] dz_i[q] accumulates the
   layers' contributions <dL/dW_j, D_W_j> + <dL/db_j, D_b_j>. *)
Definition contribution (j : nat) : R :=
  sum (n j) (fun q => sum (n (pred j)) (fun k => gW th x y j q k * W D j q k))
  + sum (n j) (fun q => gb th x y j q * b D j q).

Definition pairing (i : nat) : R := sum (n i) (fun q => delta th x y i q * dzT i q).

Lemma delta_hidden : forall j k, (1 <= j <= K)%nat ->
  delta th x y j k = dh th x y j k * dsigma (z th x j k).
Proof. intros j k Hj. apply gradient_b_hidden. assumption. Qed.

(* (3) read as an adjoint: dL/dh_j = W_{j+1}^T delta_{j+1}, including j = K. *)
Lemma dh_adjoint : forall j k, (1 <= j <= K)%nat ->
  dh th x y j k = sum (n (S j)) (fun q => W th (S j) q k * delta th x y (S j) q).
Proof.
  intros j k Hj. destruct (Nat.eq_dec j K) as [-> | Hne].
  - rewrite dh_top_layer. apply sum_ext. intros q _.
    unfold Symmetry.delta. rewrite Nat.eqb_refl. reflexivity.
  - replace j with (pred (S j)) at 1 by reflexivity.
    rewrite dh_recursion by lia. apply sum_ext. intros q _.
    rewrite delta_hidden by lia. reflexivity.
Qed.

(* The part of dz_i that the direction contributes directly at layer i. *)
Lemma pairing_split : forall i,
  pairing i =
  sum (n i) (fun q => delta th x y i q *
                      sum (n (pred i)) (fun k => W th i q k * dhT (pred i) k))
  + contribution i.
Proof.
  intros i. unfold pairing, contribution, dzT, dz_of.
  rewrite <- !sum_plus. apply sum_ext. intros q _.
  rewrite sum_plus. unfold Symmetry.gW, Symmetry.gb.
  rewrite (sum_ext _ (fun k => delta th x y i q * h th x (pred i) k * W D i q k)
                     (fun k => delta th x y i q * (W D i q k * h th x (pred i) k)))
    by (intros; ring).
  rewrite <- sum_scale. ring.
Qed.

Lemma pairing_accumulates : forall j, (j <= K)%nat ->
  pairing (S j) = sum (S j) (fun j' => contribution (S j')).
Proof.
  induction j as [| j IH]; intros Hj.
  - (* layer 1: the tangent of h_0 = x is 0 *)
    rewrite pairing_split. cbn [sum].
    rewrite (sum_ext _ _ (fun _ => 0)); [rewrite sum_zero; ring |].
    intros q _. rewrite (sum_ext _ _ (fun _ => 0)) by (intros; cbn [pred dhT]; ring).
    rewrite sum_zero. ring.
  - rewrite pairing_split, sum_S, <- IH by lia.
    f_equal. unfold pairing.
    (* sum_q delta_{j+2}[q] sum_k W[q,k] dh_{j+1}'[k] = sum_k dL/dh_{j+1}[k] dh_{j+1}'[k] *)
    rewrite (sum_ext _ _ (fun q => sum (n (S j)) (fun k =>
               W th (S (S j)) q k * delta th x y (S (S j)) q * dhT (S j) k)))
      by (intros q _; rewrite sum_scale; apply sum_ext; intros; simpl; ring).
    rewrite sum_swap. apply sum_ext. intros k Hk.
    rewrite (sum_ext _ _ (fun q => dhT (S j) k * (W th (S (S j)) q k * delta th x y (S (S j)) q)))
      by (intros; ring).
    rewrite <- sum_scale, <- dh_adjoint by lia.
    rewrite delta_hidden by lia. cbn [dhT]. unfold dzT. simpl pred. ring.
Qed.

End Tangent.

(** * The theorem: the recursion's gradient is the derivative of the loss. *)

Theorem backprop_is_the_derivative : forall th D x y,
  derivable_pt_lim (fun t => loss (output K n sigma (perturb th D t) x) y) 0
    (sum (S K) (fun j => contribution th D x y (S j))).
Proof.
  intros th D x y.
  eapply dpl_value.
  - apply (loss_chain_rule (fun t => output K n sigma (perturb th D t) x) (dzT th D x (S K)) y).
    intros r Hr. unfold output. apply z_tangent. intros. apply h_tangent.
  - rewrite <- pairing_accumulates by lia. unfold pairing.
    rewrite perturb_zero. apply sum_ext. intros r Hr.
    unfold Symmetry.delta. rewrite Nat.eqb_refl. reflexivity.
Qed.

End Network.

(* The chain-rule hypothesis is not vacuous: the squared error
   l(o, y) = 1/2 sum_r (o_r - y_r)^2 with gradient o - y satisfies it. *)
Lemma mse_chain_rule : forall (m : nat) (o : R -> vec) (o' : vec) (y : vec),
  (forall r, (r < m)%nat -> derivable_pt_lim (fun t => o t r) 0 (o' r)) ->
  derivable_pt_lim (fun t => sum m (fun r => / 2 * (o t r - y r) * (o t r - y r))) 0
    (sum m (fun r => (o 0 r - y r) * o' r)).
Proof.
  intros m o o' y Ho. apply dpl_sum. intros r Hr.
  assert (Hd : derivable_pt_lim (fun t => o t r - y r) 0 (o' r)).
  { eapply dpl_value; [apply (derivable_pt_lim_minus (fun t => o t r) (fun _ => y r));
                       [apply Ho; assumption | apply derivable_pt_lim_const] | ring]. }
  eapply dpl_value.
  - apply dpl_mult; [| exact Hd].
    eapply dpl_value; [apply dpl_mult; [apply dpl_const | exact Hd] | reflexivity].
  - simpl. field.
Qed.

(* Both hypotheses discharged: for the squared error and any differentiable
   activation, the recursion's gradient is the derivative of the loss. *)
Definition mse (o y : vec) (m : nat) : R := sum m (fun r => / 2 * (o r - y r) * (o r - y r)).
Definition mse_gradient (o y : vec) : vec := fun r => o r - y r.

Corollary mse_backprop_is_the_derivative : forall K n sigma dsigma,
  (forall u, derivable_pt_lim sigma u (dsigma u)) ->
  forall th D x y,
  derivable_pt_lim (fun t => mse (output K n sigma (perturb th D t) x) y (n (S K))) 0
    (sum (S K) (fun j => contribution K n sigma dsigma (fun o y => mse_gradient o y) th D x y (S j))).
Proof.
  intros K n sigma dsigma Hsigma th D x y.
  apply (backprop_is_the_derivative K n sigma dsigma mse_gradient (fun o y => mse o y (n (S K))) Hsigma).
  intros o o' y' Ho. apply mse_chain_rule. exact Ho.
Qed.
