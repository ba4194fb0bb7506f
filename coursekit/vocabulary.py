"""The shared vocabulary of every communication exercise: the course's roles and request types."""

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
