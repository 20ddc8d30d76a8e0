# The openemploi binary with what it reads at run time: mappings/ (catalog and RML),
# the bundled sample data (for the one-shot import job). Queries, ontology and the
# dashboard are embedded in the binary.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/openemploi ./cmd/openemploi

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/openemploi /usr/local/bin/openemploi
COPY mappings /app/mappings
COPY testdata/sample /app/testdata/sample
COPY testdata/apec /app/testdata/apec
ENV OPENEMPLOI_ADDR=0.0.0.0:8080 OPENEMPLOI_ROOT=/app OPENEMPLOI_CATALOG=/app/mappings/catalog.yaml
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/openemploi"]
CMD ["serve"]
