package org.sinter.automl.experiment;

/** How a trial ended; NNI's names. A trial without an end record in the journal is rerun on resume. */
public enum TrialStatus { SUCCEEDED, EARLY_STOPPED, FAILED }
