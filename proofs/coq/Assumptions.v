(* Prints the axioms the main theorems rest on; tests/test_coq_general.py
   compares this output with the real-number library's axioms. *)
From Symcheck Require Import Symmetry Equitable Derivative.
Print Assumptions step_preserves_S.
Print Assumptions train_preserves_S.
Print Assumptions constant_init_symmetry.
Print Assumptions step_preserves_equitable.
Print Assumptions train_preserves_equitable.
Print Assumptions tied_units_agree.
Print Assumptions identity_middle_equitable.
Print Assumptions backprop_is_the_derivative.
Print Assumptions mse_backprop_is_the_derivative.
