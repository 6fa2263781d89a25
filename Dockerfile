FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY agents ./agents
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["oms", "run", "--host", "0.0.0.0"]
