#include "pipeline/local_response.h"

namespace gatehouse::pipeline {

LocalResponse LocalResponse::from_error(const ApiError& error) {
  LocalResponse response;
  response.status = error.status;
  response.body = error.json_body();
  return response;
}

}  // namespace gatehouse::pipeline
