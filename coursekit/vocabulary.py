"""The shared vocabulary of every communication exercise: the course's roles and request types.

``coursekit.roles()`` says what each role does; docs/COMMUNICATION.md says which kind of ask goes
to which roles.
"""

ROLES: tuple[str, ...] = (
    "Product Manager",
    "Business Analyst",
    "Data Analyst",
    "Architect",
    "DevOps Engineer",
    "Software Engineer",
    "Operator",
    "System Admin",
    "IT Auditor",
    "Data Architect",
    "Domain Expert",
    "Data Engineer",
    "Data Scientist",
    "ML Engineer",
    "ML Operator",
    "Model Risk Manager",
    "MLOps Engineer",
    "AI/ML Architect",
)

REQUEST_TYPES: tuple[str, ...] = ("information", "work", "review")
"""What you can ask of a role, as the workshop the course grew from means it (docs/COMMUNICATION.md).

* ``"information"``: information sharing (情報共有の依頼), in either direction: you ask them for
  facts or documents you need, or you tell them something they need to know (a report of what
  was left out, the notes on how to use a model);
* ``"work"``: a work request (作業依頼): they do a piece of the project's work (decide, agree,
  collect, label, estimate, document, serve, deploy);
* ``"review"``: a review request (レビュー依頼): they check something you made, to make it more
  accurate or to approve it.
"""
