"""Full screens of the wizard: welcome, one question, review, recommendation."""
